package render

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/encoding/protojson"
)

// tokenNode is the tree encoding/json's tokens give: the reference scanJSON must match.
func tokenNode(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if v == '{' {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
		}
		for dec.More() {
			if n.Kind == yaml.MappingNode {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, str(key.(string)))
			}
			c, err := tokenNode(dec)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
		}
		_, err := dec.Token()
		return n, err
	case string:
		return str(v), nil
	case json.Number:
		return resolvedScalar(v.String()), nil
	case bool:
		return resolvedScalar(strconv.FormatBool(v)), nil
	default:
		return resolvedScalar("null"), nil
	}
}

func TestScanJSONMatchesDecoder(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `{"a":1,"b":[true,false,null,-1.5e+06,"x"]}`, ` { "a" : [ { } , [ ] ] } `,
		`{"esc":"a\"b\\c\/d\n\t\u00e9\ud83d\ude00","k\u0041":"v"}`, `"s"`, `0`,
	}
	for _, o := range estate()[:2] {
		b, err := protojson.Marshal(o.Spec)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
	}
	for _, doc := range docs {
		dec := json.NewDecoder(strings.NewReader(doc))
		dec.UseNumber()
		want, err := tokenNode(dec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scanJSON([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-decoder +scanner):\n%s", doc, diff)
		}
	}
	for _, bad := range []string{``, `{`, `{"a"}`, `{"a":}`, `[1,]`, `[1 2]`, `"x`, `tru`, `{} x`, `{1:2}`} {
		if _, err := scanJSON([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
