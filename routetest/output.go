package routetest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/meshroute/meshroute/diag"
)

// OutputOptions tune the text report.
type OutputOptions struct {
	// DetailedCoverage lists every route no case reached.
	DetailedCoverage bool
	// FailUnder is the coverage bar in percent (0: none).
	FailUnder float64
}

// WriteText prints one line per failing case, one per skipped test and cluster, the coverage,
// and the summary "N passed, M failed" (", K skipped" when some were).
func WriteText(w io.Writer, r *Report, opts OutputOptions) error {
	var b strings.Builder
	// Every case of a skipped test is skipped for the same reason: say it once per test, with
	// the clusters it was skipped in.
	var skipOrder []CaseResult
	skipClusters := map[diag.Position][]string{}
	for _, c := range r.Cases {
		if !c.Skipped {
			continue
		}
		if _, seen := skipClusters[c.Pos]; !seen {
			skipOrder = append(skipOrder, c)
		}
		if cl := skipClusters[c.Pos]; !slices.Contains(cl, c.Cluster) {
			skipClusters[c.Pos] = append(cl, c.Cluster)
		}
	}
	for _, c := range skipOrder {
		fmt.Fprintf(&b, "%s: SKIP %s [%s]: %s\n", c.Pos, c.Test, strings.Join(skipClusters[c.Pos], ", "), c.SkipReason)
	}
	for _, c := range r.Cases {
		if c.Passed || c.Skipped {
			continue
		}
		fmt.Fprintf(&b, "%s: FAIL %s [%s]: ", c.Pos, c.Test, c.where())
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
	fmt.Fprintf(&b, "%d passed, %d failed", r.Passed, r.Failed)
	if r.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", r.Skipped)
	}
	b.WriteString("\n")
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
	Skipped  int          `xml:"skipped,attr,omitempty"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr,omitempty"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit prints the cases as JUnit XML (one suite per test file) for CI test reports.
func WriteJUnit(w io.Writer, r *Report) error {
	out := junitSuites{Tests: len(r.Cases), Failures: r.Failed, Skipped: r.Skipped}
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
		if c.Skipped {
			jc.Skipped = &junitSkipped{Message: c.SkipReason}
			out.Suites[i].Skipped++
		} else if !c.Passed {
			msg := c.Error
			if msg == "" {
				msg = strings.Join(c.Problems, "; ")
			}
			text := c.Pos.String() + ": [" + c.where() + "] " + msg
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
