package naming

import (
	"strconv"
	"strings"
)

// hopSeparator joins the hops of a delegated route's name.
const hopSeparator = "--"

// RouteHop is one route of a delegation chain as a route name carries it.
type RouteHop struct {
	Route     string // the route's name, or UnnamedRoute(index)
	Table     string
	Namespace string
}

// UnnamedRoute names the route at index of a table's http list when it has no name: route-<index>.
func UnnamedRoute(index int) string { return "route-" + strconv.Itoa(index) }

// TCPRoute names the route at index of a table's tcp list (tcp routes have no name field):
// tcp-<index>.
func TCPRoute(index int) string { return "tcp-" + strconv.Itoa(index) }

// TLSRoute names the route at index of a table's tls list: tls-<index>.
func TLSRoute(index int) string { return "tls-" + strconv.Itoa(index) }

// EgressRoute names the egress route of an ExternalService port (which has no route name):
// egress-<port number>.
func EgressRoute(port uint32) string { return "egress-" + strconv.FormatUint(uint64(port), 10) }

// Route is the generated name of a flattened route: <route>.<table>.<ns> of its leaf, then "--"
// and each delegating hop up to the root (chain is root first, leaf last).
func Route(chain []RouteHop) string {
	parts := make([]string, 0, len(chain))
	for i := len(chain) - 1; i >= 0; i-- {
		h := chain[i]
		parts = append(parts, h.Route+"."+h.Table+"."+h.Namespace)
	}
	return strings.Join(parts, hopSeparator)
}

// String is the hop as a route name writes it.
func (h RouteHop) String() string {
	if h.Table == "" && h.Namespace == "" {
		return h.Route
	}
	return h.Route + "." + h.Table + "." + h.Namespace
}

// ParseRoute splits a Route name into its hops, leaf first as written. A hop that is not
// <route>.<table>.<ns> keeps the whole text in Route, with Table and Namespace empty (and ok is
// false).
func ParseRoute(name string) (hops []RouteHop, ok bool) {
	ok = true
	for _, s := range strings.Split(name, hopSeparator) {
		parts := strings.SplitN(s, ".", 3)
		if len(parts) != 3 {
			hops, ok = append(hops, RouteHop{Route: s}), false
			continue
		}
		hops = append(hops, RouteHop{Route: parts[0], Table: parts[1], Namespace: parts[2]})
	}
	return hops, ok
}
