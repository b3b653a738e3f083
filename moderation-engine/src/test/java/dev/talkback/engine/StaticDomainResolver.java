package dev.talkback.engine;

import java.util.Map;

/** A {@link DomainResolver} from a fixed table, for tests and benchmarks; unknown domains get a default status. */
public final class StaticDomainResolver implements DomainResolver {

    private final Map<String, Status> table;
    private final Status otherwise;

    public StaticDomainResolver(Map<String, Status> table, Status otherwise) {
        this.table = Map.copyOf(table);
        this.otherwise = otherwise;
    }

    @Override
    public Status lookup(String domain) {
        return table.getOrDefault(domain, otherwise);
    }
}
