package naming

import "strconv"

// IsolationPolicy is the AuthorizationPolicy and PeerAuthentication service isolation gives one
// port of Service svc of workspace ws: settings-<svc>-<port>-<workspace>, the name Gloo Mesh
// gives them.
func IsolationPolicy(svc string, port uint32, ws string) string {
	return DNSName("settings-" + svc + "-" + strconv.FormatUint(uint64(port), 10) + "-" + ws)
}

// IsolationSidecar is the Sidecar that trims the proxies of Service svc of workspace ws:
// settings-<svc>-<workspace>.
func IsolationSidecar(svc, ws string) string { return DNSName("settings-" + svc + "-" + ws) }

// TrimSidecar is the Sidecar of Service svc that TrimProxyConfigPolicies make when its
// workspace does not trim it: trim-<svc>.
func TrimSidecar(svc string) string { return DNSName("trim-" + svc) }

// Principal is the identity Istio gives a workload running as service account sa in namespace ns
// under trustDomain: <trust domain>/ns/<ns>/sa/<sa>. Gloo Mesh's trust domain is the cluster name.
func Principal(trustDomain, ns, sa string) string {
	return trustDomain + "/ns/" + ns + "/sa/" + sa
}

// AccessPolicy is the AuthorizationPolicy an AccessPolicy (policy in namespace ns) gives one port
// of Service svc: access-<policy>-<ns>-<svc>-<port>.
func AccessPolicy(policy, ns, svc string, port uint32) string {
	return DNSName("access-" + policy + "-" + ns + "-" + svc + "-" + strconv.FormatUint(uint64(port), 10))
}

// AccessOtherPorts is the AuthorizationPolicy that keeps the ports of Service svc no
// AccessPolicy selects open: access-<svc>-other-ports.
func AccessOtherPorts(svc string) string { return DNSName("access-" + svc + "-other-ports") }
