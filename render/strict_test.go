package render

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// unmarshalStrict parses JSON into a proto message, refusing unknown fields.
func unmarshalStrict(b []byte, into any) error {
	m, ok := into.(proto.Message)
	if !ok {
		return fmt.Errorf("%T is not a proto message", into)
	}
	return protojson.UnmarshalOptions{}.Unmarshal(b, m)
}
