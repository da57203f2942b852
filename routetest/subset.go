package routetest

import (
	"encoding/json"
	"fmt"

	"github.com/meshroute/meshroute/naming"
)

// Subset is an expected subset, written either as the generated subset name ("version-v3", what
// the emitted DestinationRule and Envoy cluster names carry) or in the Gloo form, the labels map
// of the RouteTable destination ({version: v3}).
type Subset struct {
	Name   string
	Labels map[string]string
}

// UnmarshalJSON reads a string (the generated name) or an object (the labels).
func (s *Subset) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &s.Name); err == nil {
		return nil
	}
	if err := json.Unmarshal(b, &s.Labels); err != nil {
		return fmt.Errorf("subset: want a subset name or a labels map: %w", err)
	}
	return nil
}

// MarshalJSON writes the form the test used.
func (s Subset) MarshalJSON() ([]byte, error) {
	if s.Labels != nil {
		return json.Marshal(s.Labels)
	}
	return json.Marshal(s.Name)
}

// generatedName is the subset name meshroute emits for the labels: the sorted key-value pairs
// joined by "-" and made a DNS label, as the compiler names subsets. Both targets carry only
// that name (Envoy in its cluster names), so labels are compared through it.
func (s Subset) generatedName() string {
	if s.Labels == nil {
		return s.Name
	}
	return naming.Subset(s.Labels)
}

// matches reports whether the evaluated destination's subset is this one (nil accepts any).
func (s *Subset) matches(got string) bool {
	return s == nil || s.generatedName() == got
}

// String names the subset as the test wrote it: the name, or k=v pairs.
func (s Subset) String() string {
	if s.Labels == nil {
		return s.Name
	}
	return "{" + kvList(s.Labels, "=", ", ") + "}"
}
