package eval

import (
	"testing"

	_ "github.com/meshroute/meshroute/internal/goldentest"
)

func TestBestHost(t *testing.T) {
	candidates := [][]string{{"*"}, {"*.example.com"}, {"*.api.example.com"}, {"shop.example.com"}, {"shop.*"}}
	for host, want := range map[string]int{
		"shop.example.com":  3, // exact first
		"a.api.example.com": 2, // longest suffix wildcard
		"a.example.com":     1,
		"example.com":       0, // *.example.com needs at least one character more
		"shop.test":         4, // prefix wildcard before *
		"other":             0,
		"SHOP.EXAMPLE.COM":  3,
	} {
		if got := BestHost(candidates, host); got != want {
			t.Errorf("BestHost(%s) = %d, want %d", host, got, want)
		}
	}
	if got := BestHost([][]string{{"a.com"}}, "b.com"); got != -1 {
		t.Errorf("no match: %d", got)
	}
}

func TestStringConditions(t *testing.T) {
	for _, tt := range []struct {
		c    StringCondition
		v    string
		want bool
	}{
		{StringCondition{Kind: "regex", Value: "/a/[0-9]+"}, "/a/12", true},
		{StringCondition{Kind: "regex", Value: "/a/[0-9]+"}, "/a/12/b", false}, // full match
		{StringCondition{Kind: "regex", Value: "/a|/b"}, "/bc", false},         // alternation stays anchored
		{StringCondition{Kind: "prefix", Value: "/API", IgnoreCase: true}, "/api/x", true},
		{StringCondition{Kind: "exact", Value: "/x"}, "/X", false},
		{StringCondition{Kind: "suffix", Value: ".json"}, "/a.json", true},
		{StringCondition{Kind: "contains", Value: "mid"}, "amidb", true},
	} {
		if got, err := tt.c.Match(tt.v); err != nil || got != tt.want {
			t.Errorf("%v on %q = %v %v, want %v", tt.c, tt.v, got, err, tt.want)
		}
	}
	if _, err := (StringCondition{Kind: "regex", Value: "("}).Match("x"); err == nil {
		t.Error("bad regex: want an error")
	}
}

func TestNormalizeAndRewrite(t *testing.T) {
	r := Request{Host: "A.com:8080", Path: "/p?x=1&y", Headers: map[string]string{"X-A": "b"}, Query: map[string]string{"x": "2"}}.Normalize()
	if r.Path != "/p" || r.Query["x"] != "2" || r.Query["y"] != "" || r.Headers["x-a"] != "b" || r.Method != "GET" || r.HostName() != "a.com" {
		t.Errorf("normalized %+v host %s", r, r.HostName())
	}
	got, err := RegexReplace(`^/v1/(.*)$`, `/v2/\1`, "/v1/items")
	if err != nil || got != "/v2/items" {
		t.Errorf("RegexReplace = %q %v", got, err)
	}
}
