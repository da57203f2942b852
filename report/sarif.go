package report

import (
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/meshroute/meshroute/diag"
)

// SARIFOptions describe the tool in a SARIF log.
type SARIFOptions struct {
	// Version is the meshroute version (tool.driver.version).
	Version string
	// BaseDir, when set, turns absolute input paths below it into relative ones: GitHub code
	// scanning resolves artifact URIs against the repository root.
	BaseDir string
}

// The meshroute home page and the diagnostics reference the rules link to.
const (
	InformationURI = "https://github.com/meshroute/meshroute"
	DiagnosticsDoc = InformationURI + "/blob/main/docs/diagnostics.md"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
	// Properties holds "omitted": per capped code, how many results were left out.
	Properties map[string]any `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string      `json:"id"`
	Name                 string      `json:"name"`
	ShortDescription     sarifText   `json:"shortDescription"`
	FullDescription      sarifText   `json:"fullDescription"`
	HelpURI              string      `json:"helpUri"`
	Help                 sarifText   `json:"help"`
	DefaultConfiguration sarifConfig `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID           string            `json:"ruleId"`
	RuleIndex        *int              `json:"ruleIndex,omitempty"`
	Level            string            `json:"level"`
	Message          sarifText         `json:"message"`
	Locations        []sarifLocation   `json:"locations,omitempty"`
	RelatedLocations []sarifLocation   `json:"relatedLocations,omitempty"`
	Properties       map[string]string `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine,omitempty"`
	StartColumn int `json:"startColumn,omitempty"`
}

// SARIF writes a SARIF 2.1.0 log that GitHub code scanning accepts: every catalogue code is a
// rule linking to its section of docs/diagnostics.md, every diagnostic a result.
func SARIF(w io.Writer, ds []diag.Diagnostic, opts SARIFOptions) error {
	entries, err := diag.Catalogue()
	if err != nil {
		return err
	}
	rules := make([]sarifRule, 0, len(entries))
	index := make(map[string]int, len(entries))
	for i, e := range entries {
		index[e.Code] = i
		full := e.Summary
		if e.Doc != "" {
			full = e.Summary + " " + strings.TrimSpace(e.Doc)
		}
		rules = append(rules, sarifRule{
			ID: e.Code, Name: e.Name,
			ShortDescription:     sarifText{e.Summary},
			FullDescription:      sarifText{full},
			HelpURI:              DiagnosticsDoc + "#" + diag.Anchor(e),
			Help:                 sarifText{full},
			DefaultConfiguration: sarifConfig{sarifLevel(e.Severity)},
		})
	}
	shown, omitted := listed(ds)
	results := make([]sarifResult, 0, len(shown))
	for _, d := range shown {
		r := sarifResult{RuleID: d.Code, Level: sarifLevel(d.Severity), Message: sarifText{sarifMessage(d)}}
		if i, ok := index[d.Code]; ok {
			r.RuleIndex = &i
		}
		// GitHub rejects a result without a location; a diagnostic about a whole file points at
		// the file, one with no file at all borrows the first related position's file.
		pos := d.Pos
		if pos.File == "" && len(d.Related) > 0 {
			pos = diag.Position{File: d.Related[0].Pos.File}
		}
		if pos.File != "" {
			r.Locations = []sarifLocation{{PhysicalLocation: opts.physical(pos)}}
		}
		for i, rel := range d.Related {
			if rel.Pos.File == "" {
				continue
			}
			id := i + 1
			r.RelatedLocations = append(r.RelatedLocations, sarifLocation{
				ID: &id, PhysicalLocation: opts.physical(rel.Pos), Message: &sarifText{rel.Message},
			})
		}
		if obj := d.Object.String(); obj != "" || d.Path != "" {
			r.Properties = map[string]string{}
			if obj != "" {
				r.Properties["object"] = obj
			}
			if d.Path != "" {
				r.Properties["path"] = d.Path
			}
		}
		results = append(results, r)
	}
	var props map[string]any
	if counts := omittedCounts(omitted); counts != nil {
		props = map[string]any{"omitted": counts}
	}
	return writeJSON(w, sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: sarifTool{sarifDriver{
				Name: "meshroute", Version: opts.Version, InformationURI: InformationURI, Rules: rules,
			}},
			// yaml.v3 counts columns in characters, not the UTF-16 units SARIF assumes by default.
			ColumnKind: "unicodeCodePoints",
			Results:    results,
			Properties: props,
		}},
	})
}

func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "note"
}

// sarifMessage is the message with the object it is about and the hint on a second line.
func sarifMessage(d diag.Diagnostic) string {
	msg := d.Message
	if obj := d.Object.String(); obj != "" {
		msg += " (" + obj + ")"
	}
	if d.Hint != "" {
		msg += "\nhint: " + d.Hint
	}
	return msg
}

func (o SARIFOptions) physical(p diag.Position) sarifPhysicalLocation {
	loc := sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: o.uri(p.File)}}
	if p.Line > 0 {
		loc.Region = &sarifRegion{StartLine: p.Line, StartColumn: p.Col}
	}
	return loc
}

// uri turns an input path into a relative URI reference with forward slashes, percent-encoded
// where a URI needs it.
func (o SARIFOptions) uri(file string) string {
	if o.BaseDir != "" && filepath.IsAbs(file) {
		if rel, err := filepath.Rel(o.BaseDir, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
		}
	}
	file = filepath.ToSlash(file)
	if filepath.IsAbs(file) || strings.HasPrefix(file, "/") {
		return (&url.URL{Scheme: "file", Path: file}).String()
	}
	return (&url.URL{Path: strings.TrimPrefix(file, "./")}).String()
}
