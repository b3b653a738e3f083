#!/usr/bin/env bash
# The engine's spam filter side by side with bogofilter, on exactly the same splits: train on two of the three
# YouTube files plus the other shipped corpora (news.tsv: see SpamModel.SHIPPED_CORPORA), test on the third YouTube
# file (three rotations), and the pooled result over the three test sets. The engine uses its default thresholds,
# which `select-spam` chose with all three pages: these figures are not unbiased estimates (see the module README
# for the nested leave-one-page-out ones); they compare the two filters on the same data.
# Needs: bogofilter (Debian package `bogofilter`; this script installs nothing), java, and the engine's jar
# (./mvnw -B -ntp -f moderation-engine/pom.xml package). Run from anywhere: bash bench/spam-vs-bogofilter.sh
# Spam = rejected (engine) / classified Spam with bogofilter's default cut-offs (Unsure counts as not spam).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/moderation-engine/target/moderation-engine.jar"
data="${SPAM_DATA:-$root/moderation-engine/src/main/resources/dev/talkback/engine/spam}"
command -v bogofilter >/dev/null || { echo "bogofilter is not installed (apt-get install -y bogofilter)" >&2; exit 2; }
[ -f "$jar" ] || { echo "missing $jar: ./mvnw -B -ntp -f moderation-engine/pom.xml package" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
files=(youtube_psy youtube_katyperry youtube_lmfao)
extra=(news)  # the shipped corpora besides the YouTube pages

# One mbox message per comment; bogofilter needs the blank line after each message.
to_mbox() { # label file -> mbox of that label's comments
    awk -F'\t' -v want="$1" '$1 == want {
        text = substr($0, length($1) + 2); sub(/^From /, ">From ", text)
        printf "From bench@localhost Thu Jan  1 00:00:00 2015\nSubject: comment\n\n%s\n\n", text }' "$2"
}
all_mbox() { # file -> mbox of every comment, in file order
    awk -F'\t' '{ text = substr($0, length($1) + 2); sub(/^From /, ">From ", text)
        printf "From bench@localhost Thu Jan  1 00:00:00 2015\nSubject: comment\n\n%s\n\n", text }' "$1"
}
json() { sed -E "s/.*\"$2\":([^,}]*).*/\1/" <<<"$1"; }
now() { date +%s%N; }

printf '%-22s | %-7s %-7s %-7s %-8s %-7s %-11s | %-7s %-7s %-7s %-11s\n' \
    "test set" "F1" "MCC" "fpr" "spam_ok" "held" "comments/s" "bogo F1" "MCC" "fpr" "comments/s"
: > "$work/pooled.engine"; : > "$work/pooled.bogo"
for i in 0 1 2; do
    test="${files[$i]}"
    train=()
    for j in 0 1 2; do [ "$j" != "$i" ] && train+=("${files[$j]}"); done
    # Engine.
    extra_args=(); for e in "${extra[@]}"; do extra_args+=(--train "$data/$e.tsv"); done
    result="$(java -jar "$jar" evaluate --test "$data/$test.tsv" --train "$data/${train[0]}.tsv" --train "$data/${train[1]}.tsv" "${extra_args[@]}")"
    echo "$result" >> "$work/pooled.engine"
    # bogofilter, fresh word list per rotation.
    db="$work/db-$i"; mkdir -p "$db"
    { cat "$data/${train[0]}.tsv" "$data/${train[1]}.tsv"; for e in "${extra[@]}"; do cat "$data/$e.tsv"; done; } > "$work/train.tsv"
    to_mbox spam "$work/train.tsv" > "$work/spam.mbox"
    to_mbox ham "$work/train.tsv" > "$work/ham.mbox"
    bogofilter -C -d "$db" -s -M -I "$work/spam.mbox"
    bogofilter -C -d "$db" -n -M -I "$work/ham.mbox"
    all_mbox "$data/$test.tsv" > "$work/test.mbox"
    start=$(now)
    bogofilter -C -d "$db" -M -T -I "$work/test.mbox" > "$work/bogo.out" || true
    end=$(now)
    n=$(wc -l < "$data/$test.tsv")
    [ "$(wc -l < "$work/bogo.out")" = "$n" ] || { echo "bogofilter classified $(wc -l < "$work/bogo.out") of $n" >&2; exit 1; }
    paste <(cut -f1 "$data/$test.tsv") <(cut -d' ' -f1 "$work/bogo.out") > "$work/bogo.pairs"
    cat "$work/bogo.pairs" >> "$work/pooled.bogo"
    bogo=$(awk -v ns=$((end - start)) -f /dev/stdin "$work/bogo.pairs" <<'AWK'
{ spam = ($1 == "spam"); said = ($2 == "S"); if (spam && said) tp++; else if (!spam && said) fp++; else if (spam) fn++; else tn++ }
END { p = tp + fp ? tp / (tp + fp) : 0; r = tp + fn ? tp / (tp + fn) : 0; f1 = p + r ? 2 * p * r / (p + r) : 0
      d = sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)); mcc = d ? (tp * tn - fp * fn) / d : 0
      printf "%.4f %.4f %.4f %.0f", f1, mcc, fp / (fp + tn), NR / (ns / 1e9) }
AWK
)
    read -r bf1 bmcc bfpr brate <<<"$bogo"
    printf '%-22s | %-7s %-7s %-7s %-8s %-7s %-11s | %-7s %-7s %-7s %-11s\n' "$test" \
        "$(json "$result" f1)" "$(json "$result" mcc)" "$(json "$result" fpr)" "$(json "$result" spam_approved)" \
        "$(json "$result" held)" "$(json "$result" comments_per_second)" "$bf1" "$bmcc" "$bfpr" "$brate"
done
# Pooled: sums of the three test sets' counts.
pooled=$(awk 'function get(k) { match($0, "\"" k "\":[0-9.]+"); return substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3) }
    { n = get("n"); spam = get("tp") + get("fn"); N += n; TP += get("tp"); FP += get("fp"); TN += get("tn"); FN += get("fn")
      SA += get("spam_approved") * spam; H += get("held") * n }
    END { p = TP / (TP + FP); r = TP / (TP + FN); d = sqrt((TP + FP) * (TP + FN) * (TN + FP) * (TN + FN))
      printf "%.4f %.4f %.4f %.4f %.4f", 2 * p * r / (p + r), (TP * TN - FP * FN) / d, FP / (FP + TN), SA / (TP + FN), H / N }' \
    "$work/pooled.engine")
read -r pf1 pmcc pfpr psa pheld <<<"$pooled"
bpooled=$(awk '{ spam = ($1 == "spam"); said = ($2 == "S"); if (spam && said) tp++; else if (!spam && said) fp++; else if (spam) fn++; else tn++ }
    END { p = tp / (tp + fp); r = tp / (tp + fn); d = sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
      printf "%.4f %.4f %.4f", 2 * p * r / (p + r), (tp * tn - fp * fn) / d, fp / (fp + tn) }' "$work/pooled.bogo")
read -r bpf1 bpmcc bpfpr <<<"$bpooled"
printf '%-22s | %-7s %-7s %-7s %-8s %-7s %-11s | %-7s %-7s %-7s %-11s\n' "pooled" "$pf1" "$pmcc" "$pfpr" "$psa" "$pheld" "" \
    "$bpf1" "$bpmcc" "$bpfpr" ""
echo "(comments/s: the engine's CLI, whole pipeline in one thread, timed for a second after two seconds of warm-up;"
echo " bogofilter: one batch process over the test mbox, start-up included, default cut-offs.)"

# Throughput on a larger batch, both sides on the same 5,574 SMS messages with the last rotation's training.
all_mbox "$data/sms.tsv" > "$work/sms.mbox"
n=$(wc -l < "$data/sms.tsv")
start=$(now)
bogofilter -C -d "$work/db-2" -M -T -I "$work/sms.mbox" > /dev/null || true
end=$(now)
echo "bogofilter batch mode, $n messages in one process: $(awk -v n="$n" -v ns=$((end - start)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }') comments/s"
engine_sms="$(java -jar "$jar" evaluate --test "$data/sms.tsv" --train "$data/youtube_psy.tsv" --train "$data/youtube_katyperry.tsv")"
echo "engine CLI, same $n messages (whole pipeline, one thread): $(json "$engine_sms" comments_per_second) comments/s"
if [ "${BENCH_JMH:-0}" = 1 ]; then
    bash "$root/bench/engine-throughput.sh"
else
    echo "(JMH, steady state: BENCH_JMH=1 bash bench/spam-vs-bogofilter.sh, or bash bench/engine-throughput.sh)"
fi
