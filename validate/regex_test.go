package validate

import "testing"

// The MR4004 wording for a substitution naming a missing group: "\1 to \1" for one group read
// as a range of one, so one group is named on its own.
func TestGroupWording(t *testing.T) {
	for _, tc := range []struct {
		groups      int
		count, hint string
	}{
		{0, "no capture group", "add a capture group (...) to the pattern"},
		{1, "one capture group", `the pattern has one group, \1`},
		{3, "3 capture groups", `the pattern's groups are \1 to \3`},
	} {
		if got := groupCount(tc.groups); got != tc.count {
			t.Errorf("groupCount(%d) = %q, want %q", tc.groups, got, tc.count)
		}
		if got := groupHint(tc.groups); got != tc.hint {
			t.Errorf("groupHint(%d) = %q, want %q", tc.groups, got, tc.hint)
		}
	}
}
