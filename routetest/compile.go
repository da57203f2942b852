package routetest

import (
	"fmt"
	"slices"
	"strings"

	envoyc "github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/eval"
	evalenvoy "github.com/meshroute/meshroute/eval/envoy"
	evalistio "github.com/meshroute/meshroute/eval/istio"
	"github.com/meshroute/meshroute/pipeline"
	"github.com/meshroute/meshroute/render"
	"github.com/meshroute/meshroute/schema"
)

// Compiled is the emitted config of every cluster, ready to evaluate requests against. The model
// is kept only to report positions (route chains) and coverage, never to decide an outcome.
type Compiled struct {
	Target string
	Set    *schema.Set
	Model  *model.Model
	Istio  map[string][]render.Object
	Envoy  map[string][]envoyc.Bootstrap
	evals  map[string]evaluator
}

type evaluator interface {
	Evaluate(eval.Request) (eval.Result, error)
}

// New evaluates what pipeline.Compile emitted (what `meshroute compile` would write, checked
// as compile checks it), so tests and explain see exactly the config compile ships.
func New(r *pipeline.Result) *Compiled {
	return &Compiled{Target: r.Target.Name(), Set: r.Set, Model: r.Model, Istio: r.Istio, Envoy: r.Envoy, evals: map[string]evaluator{}}
}

// Clusters lists the declared clusters.
func (c *Compiled) Clusters() []string {
	var out []string
	for _, cl := range c.Set.Clusters {
		out = append(out, cl.Name())
	}
	return out
}

// Evaluate sends one request through the emitted config of a cluster.
func (c *Compiled) Evaluate(cluster string, req eval.Request) (eval.Result, error) {
	if c.Set.Cluster(cluster) == nil {
		return eval.Result{}, fmt.Errorf("unknown cluster %q (clusters: %s)", cluster, strings.Join(c.Clusters(), ", "))
	}
	e, ok := c.evals[cluster]
	if !ok {
		inv := eval.NewInventory(c.Set, cluster)
		if c.Target == pipeline.TargetEnvoy {
			var proxies []evalenvoy.Proxy
			for _, b := range c.Envoy[cluster] {
				proxies = append(proxies, evalenvoy.Proxy{Namespace: b.Gateway.Namespace, Service: b.Gateway.Service, Name: b.Gateway.Name, Config: b.Config})
			}
			e = evalenvoy.New(proxies, inv)
		} else {
			e = evalistio.New(c.Istio[cluster], inv)
		}
		c.evals[cluster] = e
	}
	return e.Evaluate(req)
}

// Route finds the model route behind an evaluated result (for positions and coverage): the
// route set the result's config belongs to, and the route of that name in it.
func (c *Compiled) Route(cluster string, res eval.Result) (*model.RouteSet, *model.Route) {
	mc := c.Model.Cluster(cluster)
	if mc == nil || res.Route == "" {
		return nil, nil
	}
	for _, rs := range mc.RouteSets {
		if !c.owns(rs, res) {
			continue
		}
		if i := slices.IndexFunc(rs.Routes, func(r *model.Route) bool { return r.Name == res.Route }); i >= 0 {
			return rs, rs.Routes[i]
		}
	}
	return nil, nil
}

// owns reports whether the emitted config named in res comes from rs: the VirtualService of the
// same name (istio), or a gateway rs is bound to (envoy).
func (c *Compiled) owns(rs *model.RouteSet, res eval.Result) bool {
	if c.Target == pipeline.TargetIstio {
		return rs.Namespace == res.Namespace && rs.Name == res.Name
	}
	return slices.ContainsFunc(rs.Gateways, func(g *model.Gateway) bool { return g.Namespace == res.Namespace && g.Name == res.Name })
}
