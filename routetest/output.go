package routetest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// OutputOptions tune the text report.
type OutputOptions struct {
	// DetailedCoverage lists every route no case reached.
	DetailedCoverage bool
	// FailUnder is the coverage bar in percent (0: none).
	FailUnder float64
}

// WriteText prints one line per failing case, the coverage, and the summary "N passed, M failed".
func WriteText(w io.Writer, r *Report, opts OutputOptions) error {
	var b strings.Builder
	for _, c := range r.Cases {
		if c.Passed {
			continue
		}
		fmt.Fprintf(&b, "%s: FAIL %s [%s %s]: ", c.Pos, c.Test, c.Cluster, c.Request)
		if c.Error != "" {
			b.WriteString(c.Error)
		} else {
			b.WriteString(strings.Join(c.Problems, "; "))
		}
		if c.Route != "" {
			fmt.Fprintf(&b, " (matched route %s", c.Route)
			if c.RoutePos != nil {
				fmt.Fprintf(&b, " at %s", c.RoutePos)
			}
			b.WriteString(")")
		}
		b.WriteString("\n")
	}
	cov := r.Coverage
	fmt.Fprintf(&b, "coverage: %d of %d routes (%.1f%%)", cov.Hit, cov.Routes, cov.Percent)
	if opts.FailUnder > 0 && cov.Percent+1e-9 < opts.FailUnder {
		fmt.Fprintf(&b, ", below --fail-under %g%%", opts.FailUnder)
	}
	b.WriteString("\n")
	if opts.DetailedCoverage {
		for _, u := range cov.Uncovered {
			fmt.Fprintf(&b, "%s: not covered: %s (cluster %s, %s)\n", u.Pos, u.Route, u.Cluster, u.RouteSet)
		}
	}
	fmt.Fprintf(&b, "%d passed, %d failed\n", r.Passed, r.Failed)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the whole report.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit prints the cases as JUnit XML (one suite per test file) for CI test reports.
func WriteJUnit(w io.Writer, r *Report) error {
	out := junitSuites{Tests: len(r.Cases), Failures: r.Failed}
	index := map[string]int{}
	for _, c := range r.Cases {
		file := c.Pos.File
		i, ok := index[file]
		if !ok {
			i = len(out.Suites)
			index[file] = i
			out.Suites = append(out.Suites, junitSuite{Name: file})
		}
		jc := junitCase{Name: c.Test + " [" + c.Cluster + " " + c.Request + "]", Classname: c.Test, File: file, Line: c.Pos.Line}
		if !c.Passed {
			msg := c.Error
			if msg == "" {
				msg = strings.Join(c.Problems, "; ")
			}
			text := c.Pos.String() + ": " + msg
			if c.RoutePos != nil {
				text += "\nmatched route " + c.Route + " at " + c.RoutePos.String()
			}
			jc.Failure = &junitFailure{Message: msg, Text: text}
			out.Suites[i].Failures++
		}
		out.Suites[i].Tests++
		out.Suites[i].Cases = append(out.Suites[i].Cases, jc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
