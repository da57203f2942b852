package routediff

import (
	"fmt"
	"io"
	"strings"
)

// context is the number of unchanged lines around each change, as diff -u prints.
const context = 3

// Patch writes the unified diff of two file trees (path → content, slash-separated), like
// `diff -ru a b`: files in path order, a missing side read as /dev/null.
func Patch(w io.Writer, old, new map[string][]byte) error {
	for _, p := range unionKeys(old, new) {
		o, inOld := old[p]
		n, inNew := new[p]
		if inOld && inNew && string(o) == string(n) {
			continue
		}
		from, to := "a/"+p, "b/"+p
		if !inOld {
			from = "/dev/null"
		}
		if !inNew {
			to = "/dev/null"
		}
		if _, err := io.WriteString(w, Unified(from, to, string(o), string(n))); err != nil {
			return err
		}
	}
	return nil
}

// edit is one line of a diff: its op (' ', '-' or '+') and its place in both texts.
type edit struct {
	op   byte
	text string
	i, j int // lines of the old and new text before this one
}

// Unified is the unified diff of two texts with 3 lines of context; "" when they are equal.
func Unified(fromName, toName, a, b string) string {
	x, y := lines(a), lines(b)
	var edits []edit
	var changes []int
	i, j := 0, 0
	// The sentinel pair past both ends flushes the lines after the last match.
	for _, p := range append(lcs(x, y), [2]int{len(x), len(y)}) {
		for ; i < p[0]; i++ {
			changes = append(changes, len(edits))
			edits = append(edits, edit{'-', x[i], i, j})
		}
		for ; j < p[1]; j++ {
			changes = append(changes, len(edits))
			edits = append(edits, edit{'+', y[j], i, j})
		}
		if i < len(x) {
			edits = append(edits, edit{' ', x[i], i, j})
			i++
			j++
		}
	}
	if len(changes) == 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", fromName, toName)
	for c := 0; c < len(changes); {
		// Changes less than 2*context unchanged lines apart share a hunk.
		last := c
		for last+1 < len(changes) && changes[last+1]-changes[last]-1 <= 2*context {
			last++
		}
		hunk := edits[max(changes[c]-context, 0):min(changes[last]+context+1, len(edits))]
		oldN, newN := 0, 0
		for _, e := range hunk {
			if e.op != '+' {
				oldN++
			}
			if e.op != '-' {
				newN++
			}
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", span(hunk[0].i, oldN), span(hunk[0].j, newN))
		for _, e := range hunk {
			sb.WriteByte(e.op)
			sb.WriteString(e.text)
			sb.WriteByte('\n')
		}
		c = last + 1
	}
	return sb.String()
}

// span is a hunk's range as diff -u writes it: the first line (1-based) and the count, the
// line before for an empty range, the count left out when it is 1.
func span(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// lines splits a text into lines without their newlines; a missing last newline is ignored,
// as meshroute's manifests always end with one.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
