package render

import (
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// jsonScanner builds the node tree of one JSON document straight from its bytes, as jsonNode
// did through encoding/json's Decoder.Token, whose per-token interface boxing was a fifth of
// compile's rendering time. Its input is protojson's output, always valid JSON; anything
// unexpected is still an error, never a wrong tree.
type jsonScanner struct {
	data []byte
	pos  int
}

func scanJSON(data []byte) (*yaml.Node, error) {
	s := &jsonScanner{data: data}
	n, err := s.value()
	if err != nil {
		return nil, err
	}
	if s.skipSpace(); s.pos != len(s.data) {
		return nil, s.errorf("data after the value")
	}
	return n, nil
}

func (s *jsonScanner) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", s.pos, fmt.Sprintf(format, args...))
}

func (s *jsonScanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *jsonScanner) value() (*yaml.Node, error) {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return nil, s.errorf("unexpected end of JSON")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.container('}', &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
	case c == '[':
		return s.container(']', &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
	case c == '"':
		v, err := s.str()
		if err != nil {
			return nil, err
		}
		return str(v), nil
	default:
		return s.literal()
	}
}

// container reads the members of an object or the elements of an array after its opening
// delimiter.
func (s *jsonScanner) container(end byte, n *yaml.Node) (*yaml.Node, error) {
	s.pos++
	for first := true; ; first = false {
		s.skipSpace()
		if s.pos < len(s.data) && s.data[s.pos] == end {
			s.pos++
			return n, nil
		}
		if !first {
			if s.pos >= len(s.data) || s.data[s.pos] != ',' {
				return nil, s.errorf("want ',' or %q", end)
			}
			s.pos++
			s.skipSpace()
		}
		if n.Kind == yaml.MappingNode {
			if s.pos >= len(s.data) || s.data[s.pos] != '"' {
				return nil, s.errorf("want an object key")
			}
			key, err := s.str()
			if err != nil {
				return nil, err
			}
			s.skipSpace()
			if s.pos >= len(s.data) || s.data[s.pos] != ':' {
				return nil, s.errorf("want ':'")
			}
			s.pos++
			n.Content = append(n.Content, str(key))
		}
		v, err := s.value()
		if err != nil {
			return nil, err
		}
		n.Content = append(n.Content, v)
	}
}

// str reads a string; one without escapes is sliced out, the rare rest decoded by
// encoding/json.
func (s *jsonScanner) str() (string, error) {
	start := s.pos
	escaped := false
	for i := start + 1; i < len(s.data); i++ {
		switch s.data[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			s.pos = i + 1
			if !escaped {
				return string(s.data[start+1 : i]), nil
			}
			var v string
			if err := json.Unmarshal(s.data[start:s.pos], &v); err != nil {
				return "", s.errorf("%v", err)
			}
			return v, nil
		}
	}
	return "", s.errorf("unterminated string")
}

// literal reads a number, true, false or null, keeping a number's text exactly as written.
func (s *jsonScanner) literal() (*yaml.Node, error) {
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			break
		}
		s.pos++
	}
	text := s.data[start:s.pos]
	if !json.Valid(text) {
		return nil, s.errorf("invalid JSON value %q", text)
	}
	return resolvedScalar(string(text)), nil
}
