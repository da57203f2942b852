package schema

import (
	"encoding/json"
	"errors"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/meshroute/meshroute/diag"
)

// KindConfig is meshroute's configuration file (meshroute.yaml), read by the command line.
const KindConfig = "Config"

// ConfigFile is the configuration file's name, looked for at the repository root.
const ConfigFile = "meshroute.yaml"

// Config is a loaded meshroute.yaml; its fields mirror command-line flags.
type Config struct {
	Inputs   []string         `json:"inputs"`
	Services []ConfigServices `json:"services"`
	Exclude  []string         `json:"exclude"`
	Target   string           `json:"target"`
	OutDir   string           `json:"outDir"`
	Clusters []string         `json:"clusters"`
	Suppress []string         `json:"suppress"`
	FailOn   string           `json:"failOn"`
}

// ConfigServices is one --services CLUSTER=PATH.
type ConfigServices struct {
	Cluster string `json:"cluster"`
	Path    string `json:"path"`
}

// LoadConfig reads a configuration file, checked against its JSON Schema as strictly as any
// input (an unknown field is MR1001 with a did-you-mean). The error is a *UsageError when the
// file cannot be read; the config is nil when a diagnostic is an error.
func (l *Loader) LoadConfig(file string) (*Config, []diag.Diagnostic, error) {
	data, d, err := l.read(file)
	if err != nil {
		return nil, nil, &UsageError{err}
	}
	if d != nil {
		return nil, []diag.Diagnostic{*d}, nil
	}
	var doc yaml.Node
	err = decodeNode(yaml.NewDecoder(strings.NewReader(string(data))), &doc)
	switch {
	case errors.Is(err, io.EOF):
		return &Config{}, nil, nil
	case err != nil:
		return nil, []diag.Diagnostic{syntaxError(file, err)}, nil
	}
	root := deref(doc.Content[0])
	pos := position(file, root)
	value, err := toValue(root)
	var verr *valueError
	if errors.As(err, &verr) {
		return nil, []diag.Diagnostic{verr.at(position(file, verr.node))}, nil
	}
	m, ok := value.(map[string]any)
	if !ok {
		return nil, []diag.Diagnostic{diag.ConfigNotAMapping(pos, file, InventoryAPIVersion, KindConfig)}, nil
	}
	// Checked against the Config schema whatever the file says, so a wrong kind is reported
	// as one, not as a different object.
	obj := Object{APIVersion: InventoryAPIVersion, Kind: KindConfig, Pos: pos, node: root}
	if ds := validateSchema(&obj, m); len(ds) > 0 {
		return nil, ds, nil
	}
	b, _ := json.Marshal(m)
	var c Config
	_ = json.Unmarshal(b, &c) // the schema has checked every type
	return &c, nil, nil
}
