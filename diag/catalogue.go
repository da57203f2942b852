package diag

import (
	_ "embed"
	"fmt"
	"slices"
	"sync"

	"sigs.k8s.io/yaml"
)

// Entry is one code of the catalogue. The catalogue is data (catalogue.yaml): docs/diagnostics.md is
// generated from it and codes are never reused, so a retired code stays listed with Retired set.
type Entry struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Severity Severity `json:"-"`
	Level    string   `json:"severity"`
	Summary  string   `json:"summary"`
	Doc      string   `json:"doc,omitempty"`
	Bad      string   `json:"bad,omitempty"`
	Fixed    string   `json:"fixed,omitempty"`
	Retired  bool     `json:"retired,omitempty"`
	// Message is the template of the diagnostic's message: {name} stands for the argument of that
	// name. go generate turns it into the typed constructor of the code (codes_gen.go), named
	// after Name.
	Message string `json:"message,omitempty"`
	Args    []Arg  `json:"args,omitempty"`
	// Variants are further message shapes of the same code, each with a constructor of its own
	// name, where one template cannot say both without changing the wording.
	Variants []Template `json:"variants,omitempty"`
}

// Template is one message shape of a code and the name of its constructor.
type Template struct {
	Name    string `json:"name"`
	Message string `json:"message"`
	Args    []Arg  `json:"args,omitempty"`
}

// Templates lists e's message shapes, its own first; none when e has no message.
func (e Entry) Templates() []Template {
	if e.Message == "" {
		return nil
	}
	return append([]Template{{Name: e.Name, Message: e.Message, Args: e.Args}}, e.Variants...)
}

// Arg is one typed argument of a message template.
type Arg struct {
	Name string `json:"name"`
	Type string `json:"type"` // a Go type: string, int, error, any, …
	// Verb formats the argument in the message ("%q" quotes a string); unset, it is %s for a
	// string, %d for an integer and %v for anything else.
	Verb string `json:"verb,omitempty"`
}

//go:embed catalogue.yaml
var catalogueYAML []byte

var catalogue = sync.OnceValues(func() ([]Entry, error) {
	var doc struct {
		Codes []Entry `json:"codes"`
	}
	if err := yaml.UnmarshalStrict(catalogueYAML, &doc); err != nil {
		return nil, fmt.Errorf("diagnostic catalogue: %w", err)
	}
	for i := range doc.Codes {
		sev, err := ParseSeverity(doc.Codes[i].Level)
		if err != nil {
			return nil, fmt.Errorf("diagnostic catalogue %s: %w", doc.Codes[i].Code, err)
		}
		doc.Codes[i].Severity = sev
	}
	return doc.Codes, nil
})

// Catalogue returns every code in catalogue order. The embedded catalogue is checked by tests, so
// an error here means a broken build.
func Catalogue() ([]Entry, error) {
	entries, err := catalogue()
	return slices.Clone(entries), err
}

// Lookup finds the catalogue entry of code.
func Lookup(code string) (Entry, bool) {
	entries, _ := catalogue()
	for _, e := range entries {
		if e.Code == code {
			return e, true
		}
	}
	return Entry{}, false
}
