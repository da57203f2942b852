package routetest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/meshroute/meshroute/eval"
)

// Case is one request of a test after expansion.
type Case struct {
	Test *Test
	// Cluster is the cluster whose emitted config this case is evaluated on.
	Cluster string
	Request eval.Request
	// Label names the request in reports: "GET a.example.com/path".
	Label string
}

// Expand turns a test into one case per combination of its clusters, hosts, paths and methods,
// in written order (clusters outermost), like istio-config-validator's request combinations.
func Expand(t *Test) ([]Case, error) {
	base := eval.Request{Protocol: t.Request.Protocol, SNI: t.Request.SNI, Headers: t.Request.Headers, Query: t.Request.Query, Port: t.Port}
	switch {
	case t.Gateway != "" && t.Mesh != nil:
		return nil, fmt.Errorf("test %q: gateway and mesh are alternatives", t.Name)
	case t.Gateway != "":
		ns, name, ok := strings.Cut(t.Gateway, "/")
		if !ok || ns == "" || name == "" {
			return nil, fmt.Errorf("test %q: gateway %q is not namespace/name", t.Name, t.Gateway)
		}
		base.Gateway = &eval.GatewayRef{Namespace: ns, Service: name}
	case t.Mesh != nil:
		base.Mesh = &eval.MeshSource{Namespace: t.Mesh.Namespace, Labels: t.Mesh.Labels}
	default:
		return nil, fmt.Errorf("test %q: say where the request enters: gateway or mesh", t.Name)
	}
	if t.From != nil {
		ns, sa, _ := strings.Cut(t.From.ServiceAccount, "/")
		if t.Mesh != nil && ns != t.Mesh.Namespace {
			return nil, fmt.Errorf("test %q: from.serviceAccount %s is not of the sidecar's namespace %s", t.Name, t.From.ServiceAccount, t.Mesh.Namespace)
		}
		base.From = &eval.Identity{Cluster: t.From.Cluster, Namespace: ns, ServiceAccount: sa}
	}
	if t.Cluster != "" && len(t.Clusters) > 0 {
		return nil, fmt.Errorf("test %q: cluster and clusters are alternatives", t.Name)
	}
	clusters := oneOrMany(t.Cluster, t.Clusters, "")
	hosts := oneOrMany(t.Request.Host, t.Request.Hosts, "")
	paths := oneOrMany(t.Request.Path, t.Request.Paths, "/")
	methods := oneOrMany(t.Request.Method, t.Request.Methods, "GET")
	var out []Case
	for _, c := range clusters {
		for _, h := range hosts {
			for _, p := range paths {
				for _, m := range methods {
					r := base
					r.Host, r.Path, r.Method = h, p, strings.ToUpper(m)
					label := r.Method + " " + h + p
					if proto := strings.ToLower(r.Protocol); proto == eval.ProtocolTCP || proto == eval.ProtocolTLS {
						label = strings.ToUpper(proto) + " " + h + ":" + strconv.Itoa(int(t.Port))
					}
					out = append(out, Case{Test: t, Cluster: c, Request: r, Label: label})
				}
			}
		}
	}
	return out, nil
}

func oneOrMany(one string, many []string, def string) []string {
	switch {
	case len(many) > 0:
		return many
	case one != "":
		return []string{one}
	}
	return []string{def}
}
