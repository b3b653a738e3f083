package dev.talkback.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.notification.NotificationProperties;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which webhook destinations are refused, in every spelling, and what the local profile relaxes. */
class DestinationsTests {

    private final Destinations production = new Destinations(new NotificationProperties.WebhookPolicy(false, false));
    private final Destinations local = new Destinations(new NotificationProperties.WebhookPolicy(true, true));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.255.255.254", // loopback
                "10.0.0.1",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1", // private
                "169.254.169.254",
                "169.254.0.1", // link-local, cloud metadata
                "100.64.0.1",
                "100.127.255.255", // CGNAT
                "0.0.0.0",
                "0.1.2.3", // this network
                "224.0.0.1",
                "239.255.255.250",
                "255.255.255.255",
                "240.0.0.1", // multicast, reserved, broadcast
                "192.0.0.8",
                "198.18.0.1", // protocol assignments, benchmarking
                "::1",
                "::",
                "fe80::1",
                "febf::1",
                "fc00::1",
                "fd12:3456::1",
                "ff02::1",
                "fec0::1",
                "::ffff:127.0.0.1",
                "::ffff:169.254.169.254",
                "::ffff:10.0.0.1",
                "::ffff:7f00:1", // IPv4-mapped
                "::127.0.0.1",
                "::a9fe:a9fe", // IPv4-compatible
                "64:ff9b::a9fe:a9fe",
                "64:ff9b::10.1.2.3", // NAT64
                "2002:7f00:1::",
                "2002:a9fe:a9fe::1", // 6to4
                "2001:0:4136:e378:8000:63bf:3fff:fdd2"
            }) // Teredo
    void internalAddressesAreRefused(String address) throws Exception {
        assertThat(production.allowed(InetAddress.getByName(address)))
                .as(address)
                .isFalse();
        String host = address.contains(":") ? "[" + address + "]" : address;
        assertThat(production.urlProblem(URI.create("https://" + host + "/hook")))
                .as(address)
                .contains("internal address");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.215.14",
                "1.1.1.1",
                "172.32.0.1",
                "100.128.0.1",
                "192.169.0.1",
                "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
                "::ffff:93.184.215.14",
                "2002:5db8:d70e::1"
            })
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(production.allowed(InetAddress.getByName(address)))
                .as(address)
                .isTrue();
        String host = address.contains(":") ? "[" + address + "]" : address;
        assertThat(production.urlProblem(URI.create("https://" + host + "/hook")))
                .as(address)
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://2130706433/",
                "https://0x7f.1/",
                "https://127.1/",
                "https://0177.0.0.1/",
                "https://0x7f000001/"
            })
    void numericHostsOtherThanStandardAddressesAreRefused(String url) {
        assertThat(production.urlProblem(URI.create(url))).as(url).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost/", "https://LOCALHOST:8443/", "https://api.localhost/"})
    void localHostNamesAreRefused(String url) {
        assertThat(production.urlProblem(URI.create(url))).isEqualTo("must not point to this machine");
        assertThat(local.urlProblem(URI.create(url))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example/", "ftp://hooks.example/"})
    void onlyHttpsUnlessTheLocalProfileAllowsHttp(String url) {
        assertThat(production.urlProblem(URI.create(url))).isEqualTo("must be an https URL");
        assertThat(production.urlProblem(URI.create("https://hooks.example/"))).isNull();
        assertThat(local.urlProblem(URI.create("http://hooks.example/"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "169.254.169.254", "192.168.0.10", "fd00::1"})
    void theLocalProfileAllowsLoopbackOnly(String address) throws Exception {
        assertThat(local.allowed(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(local.allowed(InetAddress.getByName("::1"))).isTrue();
        assertThat(local.allowed(InetAddress.getByName(address))).as(address).isFalse();
    }
}
