package pipeline

import (
	"fmt"
	"slices"
	"strings"

	networking "istio.io/api/networking/v1"

	"github.com/meshroute/meshroute/compiler/envoy"
	"github.com/meshroute/meshroute/compiler/istio"
	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/render"
)

// Target names.
const (
	TargetIstio = "istio"
	TargetEnvoy = "envoy"
)

// Target is one kind of output: a new one is a type here and a line in targets.
type Target interface {
	Name() string
	// Emit translates the model, cluster by cluster, making no routing decision of its own.
	Emit(m *model.Model, opts Options) (Output, error)
	// Check applies the target's own load rules to its output; a failure is meshroute's bug.
	Check(Output) error
	// Files lays one cluster's output out as compile --out-dir writes it.
	Files(out Output, cluster string) ([]File, error)
}

// Output is what a target emitted, keyed by cluster; only the target's own field is set.
type Output struct {
	Istio map[string][]render.Object
	Envoy map[string][]envoy.Bootstrap
}

// File is one file of a cluster's folder: its name there, the kind compile's summary counts,
// and its YAML.
type File struct {
	Name, Kind string
	Data       []byte
	// Entry is a ServiceEntry's hosts and addresses, as its YAML reads back: what the next
	// compile --out-dir takes from the file (its VIPs), known here without parsing it again.
	Entry *EntryAddresses
}

// EntryAddresses are a ServiceEntry's hosts and addresses.
type EntryAddresses struct{ Hosts, Addresses []string }

var targets = []Target{istioTarget{}, envoyTarget{}}

// TargetNames lists the registered targets.
func TargetNames() []string {
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.Name()
	}
	return names
}

// Lookup finds a registered target by name; "" is TargetIstio.
func Lookup(name string) (Target, error) {
	if name == "" {
		name = TargetIstio
	}
	if i := slices.IndexFunc(targets, func(t Target) bool { return t.Name() == name }); i >= 0 {
		return targets[i], nil
	}
	return nil, fmt.Errorf("unknown target %q (want %s)", name, strings.Join(TargetNames(), " or "))
}

// istioTarget emits Kubernetes objects; istio.Emit's output needs no check of its own.
type istioTarget struct{}

func (istioTarget) Name() string { return TargetIstio }

func (istioTarget) Emit(m *model.Model, _ Options) (Output, error) {
	return Output{Istio: istio.Emit(m)}, nil
}

func (istioTarget) Check(Output) error { return nil }

func (istioTarget) Files(out Output, cluster string) ([]File, error) {
	objs := out.Istio[cluster]
	docs, err := render.ObjectsYAML(objs)
	if err != nil {
		return nil, err
	}
	files := make([]File, len(objs))
	for i, o := range objs {
		files[i] = File{Name: render.ManifestFileName(o), Kind: o.Kind, Data: docs[i]}
		if se, ok := o.Spec.(*networking.ServiceEntry); ok && o.Kind == istio.KindServiceEntry && o.APIVersion == istio.APIVersion {
			files[i].Entry = &EntryAddresses{Hosts: se.Hosts, Addresses: se.Addresses}
		}
	}
	return files, nil
}

// envoyTarget emits one bootstrap per gateway, checked with Envoy's load rules.
type envoyTarget struct{}

func (envoyTarget) Name() string { return TargetEnvoy }

func (envoyTarget) Emit(m *model.Model, opts Options) (Output, error) {
	eo := opts.Envoy
	port, err := adminPort(m, eo.AdminPort)
	if err != nil {
		return Output{}, err
	}
	eo.AdminPort = port
	return Output{Envoy: envoy.Emit(m, eo)}, nil
}

func (envoyTarget) Check(out Output) error { return envoy.Check(out.Envoy) }

func (envoyTarget) Files(out Output, cluster string) ([]File, error) {
	var files []File
	for _, b := range out.Envoy[cluster] {
		data, err := render.ProtoYAML(b.Config)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: b.FileName(), Kind: "Envoy bootstrap", Data: data})
	}
	return files, nil
}

// AdminPortError is an Envoy admin port a gateway listens on: Envoy could not bind both.
type AdminPortError struct {
	Cluster, Namespace, Gateway string
	Port                        uint32
}

func (e *AdminPortError) Error() string {
	return fmt.Sprintf("gateway %s/%s in cluster %s listens on port %d, the Envoy admin port", e.Namespace, e.Gateway, e.Cluster, e.Port)
}

// adminPort checks an explicit admin port against every listener of m, or, for 0, picks
// envoy.DefaultAdminPort or the first port above it that no listener uses, so that test and
// explain work on any input.
func adminPort(m *model.Model, want uint32) (uint32, error) {
	used := map[uint32]*AdminPortError{}
	for _, c := range m.Clusters {
		for _, g := range c.Gateways {
			for _, l := range g.Listeners {
				if used[l.Port] == nil {
					used[l.Port] = &AdminPortError{Cluster: c.Name, Namespace: g.Namespace, Gateway: g.Name, Port: l.Port}
				}
			}
		}
	}
	if want != 0 {
		if e := used[want]; e != nil {
			return 0, e
		}
		return want, nil
	}
	port := uint32(envoy.DefaultAdminPort)
	for used[port] != nil {
		port++
	}
	return port, nil
}
