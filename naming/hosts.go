package naming

import "strings"

// federatedSuffix ends every federated host.
const federatedSuffix = ".global"

// ServiceFQDN is the in-cluster host of Service svc in namespace ns: <svc>.<ns>.svc.<domain>.
func ServiceFQDN(svc, ns, domain string) string { return svc + "." + ns + ".svc." + domain }

// ParseServiceFQDN splits a Kubernetes Service host <svc>.<ns>.svc.<domain>. Federated hosts have
// the same shape but name no Service of a cluster domain, so they are not Service hosts; nor is a
// wildcard.
func ParseServiceFQDN(host string) (svc, ns, domain string, ok bool) {
	parts := strings.SplitN(host, ".", 4)
	if len(parts) < 4 || parts[2] != "svc" || parts[3] == "" || strings.HasPrefix(host, "*") || strings.HasSuffix(host, federatedSuffix) {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[3], true
}

// FederatedHost is the host of Service svc in namespace ns pinned to cluster, the same name in
// every cluster: <svc>.<ns>.svc.<cluster>.global.
func FederatedHost(svc, ns, cluster string) string {
	return svc + "." + ns + ".svc." + cluster + federatedSuffix
}

// ParseFederatedHost splits a federated host (FederatedHost).
func ParseFederatedHost(host string) (svc, ns, cluster string, ok bool) {
	rest, ok := strings.CutSuffix(host, federatedSuffix)
	if !ok {
		return "", "", "", false
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 4 || parts[2] != "svc" {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[3], true
}
