// Package eval holds what the per-target evaluators (eval/istio, eval/envoy) share: the request a
// user asks about, the outcome a data plane would produce for it, and the matching rules both
// data planes agree on. The evaluators read only emitted config, never the routing model, so
// `meshroute test` and `explain` check what ships.
package eval

import (
	"cmp"
	"slices"
	"strings"
)

// Request protocols: an HTTP request, or a TCP or TLS connection (matched by port, and TLS by
// SNI, as tcp and tls routes match).
const (
	ProtocolHTTP = "http"
	ProtocolTCP  = "tcp"
	ProtocolTLS  = "tls"
)

// Request is one HTTP request (or TCP/TLS connection) arriving at a gateway or leaving a sidecar.
type Request struct {
	// Protocol is ProtocolHTTP (the default), ProtocolTCP or ProtocolTLS; a connection has no
	// path, method, headers or query.
	Protocol string
	// SNI is the server name a TLS connection sends; default: the host.
	SNI string
	// Host is the authority; a ":port" suffix is ignored for host matching.
	Host string
	// Path is the URL path; a "?query" part is split off into Query.
	Path   string
	Method string // default GET
	// Headers are matched case-insensitively by name.
	Headers map[string]string
	Query   map[string]string
	// Port: through a gateway, the gateway Service port (0 = the first port whose listener
	// serves the host without an https redirect, see GatewayPort); through the mesh, the
	// destination port.
	Port uint32
	// Exactly one of Gateway and Mesh says where the request enters.
	Gateway *GatewayRef
	Mesh    *MeshSource
	// From is the client's identity, for the destinations' authorization (access.go); a
	// gateway request leaves with the gateway Service's identity when From is nil.
	From *Identity
}

// GatewayRef names a gateway Service (the workload), as kubectl would.
type GatewayRef struct{ Namespace, Service string }

func (g GatewayRef) String() string { return g.Namespace + "/" + g.Service }

// MeshSource is the sidecar a mesh request leaves from.
type MeshSource struct {
	Namespace string
	Labels    map[string]string
}

// Normalize fills defaults and splits a query string off the path, so both evaluators see the
// same request.
func (r Request) Normalize() Request {
	r.Protocol = strings.ToLower(cmp.Or(r.Protocol, ProtocolHTTP))
	if r.Protocol == ProtocolTLS {
		r.SNI = strings.ToLower(cmp.Or(r.SNI, r.HostName()))
	}
	if r.Method == "" {
		r.Method = "GET"
	}
	r.Method = strings.ToUpper(r.Method)
	if r.Path == "" {
		r.Path = "/"
	}
	headers := map[string]string{}
	for k, v := range r.Headers {
		headers[strings.ToLower(k)] = v
	}
	r.Headers = headers
	query := map[string]string{}
	for k, v := range r.Query {
		query[k] = v
	}
	if i := strings.IndexByte(r.Path, '?'); i >= 0 {
		for _, kv := range strings.Split(r.Path[i+1:], "&") {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			if _, set := query[k]; !set {
				query[k] = v
			}
		}
		r.Path = r.Path[:i]
	}
	r.Query = query
	return r
}

// HostName is the host without a port.
func (r Request) HostName() string {
	h := r.Host
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return strings.ToLower(h)
}

// Outcomes.
const (
	Forward        = "forward"
	Redirect       = "redirect"
	DirectResponse = "directResponse"
	NotFound       = "notFound"
)

// Result is what the data plane does with a request.
type Result struct {
	Outcome string `json:"outcome"`
	// Port is the gateway Service port the request entered on: the one it named, or the one
	// chosen for it (0 for mesh requests).
	Port uint32 `json:"port,omitempty"`
	// Config names the emitted object that held the route (VirtualService ns/name, or the Envoy
	// bootstrap's gateway and virtual host).
	Config    string `json:"config,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
	// Route is the matched route's name and its index in the route list; MatchIndex the matcher
	// that matched (-1: the route matches everything).
	Route      string `json:"route,omitempty"`
	RouteIndex int    `json:"routeIndex"`
	MatchIndex int    `json:"matchIndex"`

	Destinations   []Destination `json:"destinations,omitempty"`
	Redirect       *RedirectTo   `json:"redirect,omitempty"`
	DirectResponse *Response     `json:"directResponse,omitempty"`
	// Rewrite is the request as forwarded, when a rewrite changed it.
	Rewrite *Rewrite `json:"rewrite,omitempty"`
	// Policies are the forwarding route's timeout, retries, fault, headers and CORS.
	Policies *Policies `json:"policies,omitempty"`
	// Misses are the earlier routes of the chosen host, each with why it did not match.
	Misses []Miss `json:"misses,omitempty"`
	// Reason says why nothing matched (Outcome NotFound).
	Reason string `json:"reason,omitempty"`
}

// Destination is one weighted upstream, with the input object it came from.
type Destination struct {
	Host   string `json:"host"`
	Port   uint32 `json:"port,omitempty"`
	Subset string `json:"subset,omitempty"`
	Weight uint32 `json:"weight,omitempty"`
	Source Source `json:"source"`
	// Endpoints are the destination's backing clusters in failover order (endpoints.go).
	Endpoints []Endpoint `json:"endpoints,omitempty"`
	// Headers are the header changes for this destination only (a weighted one).
	Headers *Headers `json:"headers,omitempty"`
	// Egress is the second hop of a mesh request sent to a gateway Service (an egress
	// gateway): what that gateway does with the request as forwarded.
	Egress *Result `json:"egress,omitempty"`
	// Access is whether the destination admits the client (nil: not evaluated, because the
	// client's identity is unknown or the destination is not a Service of the cluster).
	Access *Access `json:"access,omitempty"`
}

// Source is the input object behind a destination host.
type Source struct {
	Kind      string `json:"kind,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
	Cluster   string `json:"cluster,omitempty"`
}

func (s Source) String() string {
	if s.Kind == "" {
		return "unknown"
	}
	out := s.Kind + " " + s.Namespace + "/" + s.Name
	if s.Cluster != "" {
		out += " in " + s.Cluster
	}
	return out
}

// RedirectTo is where a redirect sends the client.
type RedirectTo struct {
	Scheme string `json:"scheme,omitempty"`
	Host   string `json:"host,omitempty"`
	Path   string `json:"path,omitempty"`
	Code   uint32 `json:"code"`
}

// Response is a direct response: the proxy answers without a backend.
type Response struct {
	Status uint32 `json:"status"`
	Body   string `json:"body,omitempty"`
}

// Rewrite is what the route changes in the request before forwarding it.
type Rewrite struct {
	Path string `json:"path,omitempty"`
	Host string `json:"host,omitempty"`
}

// Miss is an earlier route that did not match, and why (one line).
type Miss struct {
	Index  int    `json:"index"`
	Route  string `json:"route"`
	Reason string `json:"reason"`
}

// SortDestinations orders destinations by host, port and subset so that two evaluators compare
// equal regardless of how each encoding lists them.
func SortDestinations(ds []Destination) {
	slices.SortStableFunc(ds, func(a, b Destination) int {
		return cmp.Or(cmp.Compare(a.Host, b.Host), cmp.Compare(a.Port, b.Port), cmp.Compare(a.Subset, b.Subset))
	})
}
