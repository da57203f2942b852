package envoy

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	tcpproxyv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/tcp_proxy/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"

	// Every extension the emitter packs into a typed_config must be registered for protojson
	// and Any to resolve it; the emitter's own imports register HCM, router, TLS and the TLS
	// inspector, tcp_proxy, and this file relies on them being in the same package.
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/router/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/listener/tls_inspector/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
)

// Validate reports why Envoy would refuse b, as far as that can be known without running it:
// a strict protojson round trip (unknown fields and unresolvable typed_config types fail), the
// generated ValidateAll rules on the bootstrap and — since those stop at an Any — on every
// message packed in a typed_config, recursively; then the load-time rules Envoy enforces that the
// protos do not encode (see loadrules.go). Nil means Envoy should load it.
func Validate(b *bootstrapv3.Bootstrap) error {
	if b == nil {
		return errors.New("no bootstrap")
	}
	data, err := protojson.Marshal(b)
	if err != nil {
		return fmt.Errorf("marshal: %w", err)
	}
	var back bootstrapv3.Bootstrap
	if err := (protojson.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(data, &back); err != nil {
		return fmt.Errorf("strict unmarshal: %w", err)
	}
	var errs []error
	if err := back.ValidateAll(); err != nil {
		errs = append(errs, err)
	}
	w := &walker{}
	w.walk(back.ProtoReflect(), "")
	errs = append(errs, w.errs...)
	errs = append(errs, loadRules(&back, w.hcms, w.tcps)...)
	return errors.Join(errs...)
}

// validator is what protoc-gen-validate generates on every Envoy message.
type validator interface{ ValidateAll() error }

// found is a connection manager met inside some typed_config, with its path in the bootstrap.
type found struct {
	path string
	hcm  *hcmv3.HttpConnectionManager
}

// walker visits every message of a tree in field-number order (so errors come out in a stable
// order), unpacking and validating each Any it meets.
type walker struct {
	errs []error
	hcms []found
	tcps []foundTCP
}

// foundTCP is a tcp_proxy met inside some typed_config, with its path in the bootstrap.
type foundTCP struct {
	path  string
	proxy *tcpproxyv3.TcpProxy
}

func (w *walker) walk(m protoreflect.Message, path string) {
	if a, ok := m.Interface().(*anypb.Any); ok {
		w.any(a, path)
		return
	}
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if !m.Has(fd) {
			continue
		}
		p := string(fd.Name())
		if path != "" {
			p = path + "." + p
		}
		v := m.Get(fd)
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for j := 0; j < l.Len(); j++ {
				w.walk(l.Get(j).Message(), fmt.Sprintf("%s[%d]", p, j))
			}
		case fd.IsMap() && fd.MapValue().Message() != nil:
			var keys []protoreflect.MapKey
			v.Map().Range(func(k protoreflect.MapKey, _ protoreflect.Value) bool {
				keys = append(keys, k)
				return true
			})
			slices.SortFunc(keys, func(a, b protoreflect.MapKey) int { return strings.Compare(a.String(), b.String()) })
			for _, k := range keys {
				w.walk(v.Map().Get(k).Message(), fmt.Sprintf("%s[%s]", p, k.String()))
			}
		case !fd.IsList() && !fd.IsMap() && fd.Message() != nil:
			w.walk(v.Message(), p)
		}
	}
}

func (w *walker) any(a *anypb.Any, path string) {
	inner, err := a.UnmarshalNew()
	if err != nil {
		w.errs = append(w.errs, fmt.Errorf("%s: %s: %w", path, a.GetTypeUrl(), err))
		return
	}
	if v, ok := inner.(validator); ok {
		if err := v.ValidateAll(); err != nil {
			w.errs = append(w.errs, fmt.Errorf("%s (%s): %w", path, a.GetTypeUrl(), err))
		}
	}
	if h, ok := inner.(*hcmv3.HttpConnectionManager); ok {
		w.hcms = append(w.hcms, found{path: path, hcm: h})
	}
	if t, ok := inner.(*tcpproxyv3.TcpProxy); ok {
		w.tcps = append(w.tcps, foundTCP{path: path, proxy: t})
	}
	w.walk(inner.ProtoReflect(), path)
}
