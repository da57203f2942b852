// Package conformance checks meshroute's output with Istio's own code: ValidateDocument runs
// the validation istiod's validating webhook runs, plus the metadata rules the Kubernetes API
// server applies, over every golden manifest, generated inputs' output and the compiler fuzz
// target's (fuzz/); the analyzers of `istioctl analyze` run over the examples' output. It is a
// separate module so the main module does not depend on istio.io/istio.
package conformance

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/schema/collections"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// manifest is the Kubernetes envelope of one object.
type manifest struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   metadata       `json:"metadata"`
	Spec       map[string]any `json:"spec"`
	Status     any            `json:"status,omitempty"`
}

type metadata struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// ErrNotIstio marks a document outside Istio's API groups (other goldens, e.g. render tests),
// which this check leaves alone.
var ErrNotIstio = errors.New("not an Istio object")

// ValidateDocument checks one YAML document: an object of an Istio API group must be one of
// Istio's configuration kinds, its spec must decode strictly into its istio.io/api type, and
// Istio's validation for that kind must accept it.
func ValidateDocument(doc []byte) (config.Spec, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
	}
	if err := yaml.Unmarshal(doc, &head); err != nil {
		return nil, fmt.Errorf("not YAML: %v", err)
	}
	if !strings.HasSuffix(strings.SplitN(head.APIVersion, "/", 2)[0], "istio.io") {
		return nil, ErrNotIstio
	}
	var m manifest
	if err := yaml.UnmarshalStrict(doc, &m); err != nil {
		return nil, fmt.Errorf("not a Kubernetes object: %v", err)
	}
	gv := strings.SplitN(m.APIVersion, "/", 2)
	if len(gv) != 2 {
		return nil, fmt.Errorf("apiVersion %q has no version", m.APIVersion)
	}
	gvk := config.GroupVersionKind{Group: gv[0], Version: gv[1], Kind: m.Kind}
	s, ok := collections.Pilot.FindByGroupVersionAliasesKind(gvk)
	if !ok {
		return nil, fmt.Errorf("%s is not an Istio configuration kind", gvk)
	}
	if m.Status != nil {
		return nil, errors.New("status must not be emitted")
	}
	if err := checkMetadata(m.Metadata); err != nil {
		return nil, err
	}
	spec, err := s.NewInstance()
	if err != nil {
		return nil, err
	}
	js, err := yaml.Marshal(m.Spec)
	if err != nil {
		return nil, err
	}
	if js, err = yaml.YAMLToJSON(js); err != nil {
		return nil, err
	}
	if err := config.ApplyJSONStrict(spec, string(js)); err != nil {
		return nil, fmt.Errorf("%s %s/%s: spec does not decode strictly: %v", m.Kind, m.Metadata.Namespace, m.Metadata.Name, err)
	}
	cfg := config.Config{
		Meta: config.Meta{
			GroupVersionKind: s.GroupVersionKind(),
			Name:             m.Metadata.Name,
			Namespace:        m.Metadata.Namespace,
			Labels:           m.Metadata.Labels,
			Annotations:      m.Metadata.Annotations,
			Domain:           "cluster.local",
		},
		Spec: spec,
	}
	warn, err := s.ValidateConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: rejected by Istio: %v", m.Kind, m.Metadata.Namespace, m.Metadata.Name, err)
	}
	if warn != nil {
		return fmt.Errorf("%v", warn), nil
	}
	return nil, nil
}

// checkMetadata applies the API server's rules: a namespaced object needs a namespace, names are
// DNS-1123 subdomains (Istio's types have no stricter rule), namespaces DNS-1123 labels, label
// keys qualified names and label values valid label values.
func checkMetadata(md metadata) error {
	var errs []string
	if md.Namespace == "" {
		errs = append(errs, "metadata.namespace is missing")
	}
	for _, msg := range validation.IsDNS1123Subdomain(md.Name) {
		errs = append(errs, "metadata.name "+md.Name+": "+msg)
	}
	for _, msg := range validation.IsDNS1123Label(md.Namespace) {
		errs = append(errs, "metadata.namespace "+md.Namespace+": "+msg)
	}
	keys := make([]string, 0, len(md.Labels))
	for k := range md.Labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, msg := range validation.IsQualifiedName(k) {
			errs = append(errs, "label key "+k+": "+msg)
		}
		for _, msg := range validation.IsValidLabelValue(md.Labels[k]) {
			errs = append(errs, "label "+k+" value "+md.Labels[k]+": "+msg)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("metadata %s/%s: %s", md.Namespace, md.Name, strings.Join(errs, "; "))
	}
	return nil
}
