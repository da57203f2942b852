package naming

import (
	"fmt"
	"strconv"
	"strings"
)

// EnvoyCluster is the upstream cluster of a destination, named as Istio names its own:
// outbound|<port>|<subset>|<host>.
func EnvoyCluster(port uint32, subset, host string) string {
	return fmt.Sprintf("outbound|%d|%s|%s", port, subset, host)
}

// ParseEnvoyCluster splits an EnvoyCluster name; a name of another shape is not ok (and comes
// back as the host).
func ParseEnvoyCluster(name string) (host string, port uint32, subset string, ok bool) {
	parts := strings.Split(name, "|")
	if len(parts) != 4 || parts[0] != "outbound" {
		return name, 0, "", false
	}
	p, err := strconv.ParseUint(parts[1], 10, 32)
	if err != nil {
		return name, 0, "", false
	}
	return parts[3], uint32(p), parts[2], true
}

// EnvoySNI is the SNI Istio derives from a destination, by which an east-west gateway passes the
// connection through: outbound_.<port>_.<subset>_.<host>.
func EnvoySNI(port uint32, subset, host string) string {
	return fmt.Sprintf("outbound_.%d_.%s_.%s", port, subset, host)
}

// EnvoyListener is a gateway bootstrap's listener on a pod port: 0.0.0.0_<port>.
func EnvoyListener(port uint32) string { return fmt.Sprintf("0.0.0.0_%d", port) }

// EnvoyRouteConfig is the route configuration of a port's plain-HTTP filter chain, http.<port>, or
// of the TLS listener with that server port name, https.<port>.<port name>.
func EnvoyRouteConfig(port uint32, tlsPortName string) string {
	if tlsPortName == "" {
		return fmt.Sprintf("http.%d", port)
	}
	return fmt.Sprintf("https.%d.%s", port, tlsPortName)
}

// EnvoyStatPrefix is the connection manager's stat prefix of the same filter chain: http_<port>
// or https_<port>_<port name>.
func EnvoyStatPrefix(port uint32, tlsPortName string) string {
	if tlsPortName == "" {
		return fmt.Sprintf("http_%d", port)
	}
	return fmt.Sprintf("https_%d_%s", port, tlsPortName)
}

// EnvoyVirtualHost is the virtual host of a domain on a port: <domain>:<port>.
func EnvoyVirtualHost(domain string, port uint32) string { return fmt.Sprintf("%s:%d", domain, port) }

// EnvoyNode is the node id of a gateway's bootstrap: <gateway>.<namespace>.
func EnvoyNode(gateway, namespace string) string { return gateway + "." + namespace }

// EnvoyL4Chain names a gateway's TCP filter chain on a port, tcp_<port>, or the TLS passthrough
// chain of a route set's tls route, tls_<port>_<set>_<route>; it is also the tcp_proxy's stat
// prefix.
func EnvoyL4Chain(port uint32, set, route string) string {
	if set == "" {
		return fmt.Sprintf("tcp_%d", port)
	}
	return fmt.Sprintf("tls_%d_%s_%s", port, set, route)
}
