package model

import "strings"

// Host patterns are DNS names, "*" (any name) or a name with a leading wildcard ("*.x.com",
// "*-x.com": any non-empty prefix). They compare case-insensitively. These helpers are the one
// definition of how patterns relate, shared by binding, the validator's conflict rules and the
// emitters.

// HostCovers reports whether every name pattern b matches is matched by pattern a.
func HostCovers(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	switch {
	case a == "*":
		return true
	case b == "*":
		return false
	}
	as, aw := strings.CutPrefix(a, "*")
	if !aw {
		return a == b
	}
	bs, bw := strings.CutPrefix(b, "*")
	if bw {
		return strings.HasSuffix(bs, as)
	}
	return len(bs) > len(as) && strings.HasSuffix(bs, as)
}

// HostsOverlap reports whether some name matches both patterns. With one leading wildcard at
// most, two patterns overlap exactly when one covers the other.
func HostsOverlap(a, b string) bool { return HostCovers(a, b) || HostCovers(b, a) }

// BindHost is the host a route-table host a takes on a listener (or Gateway server) host b, as
// Istio binds a VirtualService host to a server host: the more specific of the two when one
// covers the other; false when they do not overlap.
func BindHost(a, b string) (string, bool) {
	switch {
	case HostCovers(b, a):
		return strings.ToLower(a), true
	case HostCovers(a, b):
		return strings.ToLower(b), true
	}
	return "", false
}

// SNIName is the server name that selects a listener for host h. SNI matching (Envoy's
// server_names) takes only exact names and whole-label wildcards ("*.example.com"), so a partial
// wildcard ("*-shop.example.com") widens to its parent's wildcard; the virtual host, whose domain
// keeps the partial wildcard, still routes only the names the host matches. A partial wildcard
// of a single label ("*shop") widens to any name.
func SNIName(h string) string {
	rest, wild := strings.CutPrefix(h, "*")
	if !wild || rest == "" || strings.HasPrefix(rest, ".") {
		return h
	}
	if _, parent, ok := strings.Cut(rest, "."); ok && parent != "" {
		return "*." + parent
	}
	return "*"
}
