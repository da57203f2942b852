package render

import (
	"math"
	"math/rand/v2"
	"testing"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	routerv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/router/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
	networking "istio.io/api/networking/v1alpha3"
	security "istio.io/api/security/v1beta1"
)

// TestWalkerMatchesProtojsonOnRandomMessages fills the Istio types meshroute emits and an Envoy
// Bootstrap with seeded random values, edge values first (empty, zero, negative, huge, NaN and
// infinite floats, unknown enum numbers, unicode and invalid UTF-8, empty lists, maps and
// messages, oneof members set to their zero value), and checks that the walker builds
// protojson's tree or leaves the message to protojson, in both option sets. The public paths
// (specNode, envoyNode) must then give protojson's tree or its very error.
func TestWalkerMatchesProtojsonOnRandomMessages(t *testing.T) {
	istio := []proto.Message{
		&networking.VirtualService{}, &networking.DestinationRule{}, &networking.ServiceEntry{},
		&networking.WorkloadEntry{}, &networking.Gateway{}, &networking.Sidecar{},
		&security.AuthorizationPolicy{}, &security.PeerAuthentication{},
	}
	n := 400
	if testing.Short() {
		n = 60
	}
	var walked, left, direct int
	for seed := range n {
		f := &filler{r: rand.New(rand.NewPCG(uint64(seed), 14))}
		for _, msg := range istio {
			m := f.fill(msg, 6, 120)
			walked, left = checkRandom(t, m, false, walked, left)
			if checkDirectYAML(t, m) {
				direct++
			}
		}
		// Envoy's graph is large: fewer fields per message, Anys in typed_config. Its Struct,
		// Value and Any fields also try specNode's pruning around well-known types.
		for _, msg := range []proto.Message{&bootstrapv3.Bootstrap{}, &corev3.KeyValuePair{}, &corev3.Metadata{},
			&wrapperspb.FloatValue{}, &wrapperspb.DoubleValue{}} {
			m := f.fill(msg, 7, 250)
			walked, left = checkRandom(t, m, true, walked, left)
			walked, left = checkRandom(t, m, false, walked, left)
		}
	}
	t.Logf("%d messages walked, %d left to protojson; %d Istio objects written directly", walked, left, direct)
	if direct*4 < n*len(istio) {
		t.Errorf("only %d of %d Istio objects written directly: the spec writer is not what is being tested", direct, n*len(istio))
	}
	if left*5 > walked {
		t.Errorf("%d of %d messages left to protojson: the walker is not what is being tested", left, walked+left)
	}
}

func checkRandom(t *testing.T, m proto.Message, envoy bool, walked, left int) (int, int) {
	t.Helper()
	want, wantErr := OracleTree(m, envoy)
	got, err := WalkedTree(m, envoy)
	switch {
	case err == errProtojson:
		left++
	case err != nil:
		t.Fatalf("%T: walker error %v (it only ever leaves a message to protojson)", m, err)
	case wantErr != nil:
		t.Fatalf("%T: protojson fails (%v), the walker does not:\n%v", m, wantErr, m)
	default:
		walked++
		if d := TreeDiff(want, got); d != "" {
			t.Fatalf("%T: walker tree differs from protojson's: %s\n%v", m, d, m)
		}
	}
	public, publicErr := specNode(m)
	if envoy {
		public, publicErr = envoyNode(m)
	}
	if (publicErr == nil) != (wantErr == nil) || wantErr != nil && publicErr.Error() != wantErr.Error() {
		t.Fatalf("%T: error %v, protojson's %v", m, publicErr, wantErr)
	}
	if wantErr == nil {
		if d := TreeDiff(want, public); d != "" {
			t.Fatalf("%T: tree differs from protojson's: %s", m, d)
		}
	}
	return walked, left
}

// checkDirectYAML checks that ObjectYAML's direct path, when it takes m as a spec, writes the
// tree path's bytes; it reports whether it took it.
func checkDirectYAML(t *testing.T, m proto.Message) bool {
	t.Helper()
	o := Object{APIVersion: "networking.istio.io/v1", Kind: "Random", Name: "r", Namespace: "ns", Spec: m}
	got, ok := objectYAMLDirect(o)
	if !ok {
		return false
	}
	want, err := TreeYAML(o)
	if err != nil {
		t.Fatalf("%T: the tree path fails (%v), the direct path does not:\n%v", m, err, m)
	}
	if string(got) != string(want) {
		t.Fatalf("%T: direct YAML differs from the tree's:\n--- tree\n%s\n--- direct\n%s", m, want, got)
	}
	return true
}

// filler populates messages with random values; budget bounds the fields set per message.
type filler struct {
	r      *rand.Rand
	budget int
}

func (f *filler) fill(m proto.Message, depth, budget int) proto.Message {
	m = m.ProtoReflect().New().Interface()
	f.budget = budget
	f.message(m.ProtoReflect(), depth)
	return m
}

func (f *filler) message(m protoreflect.Message, depth int) {
	md := m.Descriptor()
	if md.FullName().Parent() == "google.protobuf" {
		f.wellKnown(m, depth)
		return
	}
	fds := md.Fields()
	for i := range fds.Len() {
		fd := fds.Get(i)
		if f.budget <= 0 || f.r.IntN(3) > 0 {
			continue
		}
		if od := fd.ContainingOneof(); od != nil && m.WhichOneof(od) != nil {
			continue // one member per oneof; a later one may replace it below
		}
		f.budget--
		f.field(m, fd, depth)
	}
}

func (f *filler) field(m protoreflect.Message, fd protoreflect.FieldDescriptor, depth int) {
	switch {
	case fd.IsList():
		l := m.Mutable(fd).List()
		for range f.r.IntN(4) {
			if fd.Message() != nil {
				if depth > 0 {
					el := l.NewElement()
					f.message(el.Message(), depth-1)
					l.Append(el)
				}
				continue
			}
			l.Append(f.scalar(fd))
		}
	case fd.IsMap():
		mm := m.Mutable(fd).Map()
		for range f.r.IntN(4) {
			k := f.scalar(fd.MapKey()).MapKey()
			if fd.MapValue().Message() != nil {
				if depth > 0 {
					v := mm.NewValue()
					f.message(v.Message(), depth-1)
					mm.Set(k, v)
				}
				continue
			}
			mm.Set(k, f.scalar(fd.MapValue()))
		}
	case fd.Message() != nil:
		if depth > 0 {
			f.message(m.Mutable(fd).Message(), depth-1) // often left empty
		}
	default:
		m.Set(fd, f.scalar(fd)) // a oneof member stays set even at its zero value
	}
}

// wellKnown fills the well-known types with mostly valid values, and now and then values
// protojson refuses (the walker must then leave the message to it).
func (f *filler) wellKnown(m protoreflect.Message, depth int) {
	var v proto.Message
	switch m.Descriptor().Name() {
	case "Duration":
		d := &durationpb.Duration{Seconds: f.r.Int64N(1e6) - 5e5}
		if d.Seconds >= 0 {
			d.Nanos = []int32{0, 5e8, 1e6, 1000, 1, 999999999}[f.r.IntN(6)]
		} else {
			d.Nanos = -[]int32{0, 5e8, 1e6, 1000, 1}[f.r.IntN(5)]
		}
		if f.r.IntN(100) == 0 {
			d.Seconds, d.Nanos = 315576000001, 0
		}
		v = d
	case "Any":
		v = f.any(depth)
	case "Struct":
		s, _ := structpb.NewStruct(map[string]any{"a": f.r.Float64(), "b": "x", "c": []any{true, nil}, "d": map[string]any{}, "e": []any{}})
		v = []proto.Message{s, &structpb.Struct{}}[f.r.IntN(2)]
	case "Value":
		v = []proto.Message{structpb.NewListValue(&structpb.ListValue{}), structpb.NewStructValue(&structpb.Struct{}),
			structpb.NewNullValue(), structpb.NewStringValue("on"), structpb.NewNumberValue(math.Inf(1)), &structpb.Value{}}[f.r.IntN(6)]
	case "ListValue":
		v = []proto.Message{&structpb.ListValue{}, &structpb.ListValue{Values: []*structpb.Value{structpb.NewBoolValue(true)}}}[f.r.IntN(2)]
	default: // wrappers, Empty, Timestamp...: their fields
		fds := m.Descriptor().Fields()
		for i := range fds.Len() {
			if fd := fds.Get(i); fd.Message() == nil && !fd.IsList() && !fd.IsMap() {
				m.Set(fd, f.scalar(fd))
			}
		}
		return
	}
	proto.Merge(m.Interface(), v)
}

// any holds one of the types Envoy configs carry, a well-known type, an Any, or a URL no type
// is registered for.
func (f *filler) any(depth int) proto.Message {
	var held proto.Message
	switch f.r.IntN(20) {
	case 0:
		held = f.fillNested(&hcmv3.HttpConnectionManager{}, depth)
	case 1:
		held = f.fillNested(&routerv3.Router{}, depth)
	case 2:
		held = wrapperspb.String("héllo")
	case 3:
		held = durationpb.New(1500 * 1e6)
	case 4:
		held = &emptypb.Empty{}
	case 5:
		held, _ = anypb.New(wrapperspb.UInt64(math.MaxUint64))
	case 6, 7, 8, 9, 10, 11:
		held = f.fillNested(&hcmv3.HttpFilter{}, depth)
	case 12:
		return &anypb.Any{TypeUrl: "type.googleapis.com/unknown.Type", Value: []byte{8, 1}}
	default:
		return &anypb.Any{}
	}
	a, err := anypb.New(held)
	if err != nil {
		return &anypb.Any{} // proto.Marshal refuses invalid UTF-8
	}
	return a
}

func (f *filler) fillNested(m proto.Message, depth int) proto.Message {
	if depth > 0 {
		f.message(m.ProtoReflect(), depth-1)
	}
	return m
}

var (
	edgeStrings = []string{"", "a", "yes", "0x1F", "1e3", "héllo ✓", "日本", "tab\there", "quote\"back\\slash",
		"nul\x00", "line\u2028sep", "\ufffd", "emoji 🚀", "~"}
	edgeInts   = []int64{0, 1, -1, 42, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64}
	edgeFloats = []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e21, 1e20, 1e-6, 1e-7, 123456789.125,
		math.MaxFloat64, math.SmallestNonzeroFloat64, math.MaxFloat32, math.NaN(), math.Inf(1), math.Inf(-1)}
)

// scalar is a value of fd's scalar type: an edge value half the time, else a random one.
func (f *filler) scalar(fd protoreflect.FieldDescriptor) protoreflect.Value {
	edge := f.r.IntN(2) == 0
	i := f.r.Int64()
	if edge {
		i = edgeInts[f.r.IntN(len(edgeInts))]
	}
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(f.r.IntN(2) == 0)
	case protoreflect.StringKind:
		if f.r.IntN(500) == 0 {
			return protoreflect.ValueOfString("bad \xff UTF-8") // protojson's error
		}
		if edge {
			return protoreflect.ValueOfString(edgeStrings[f.r.IntN(len(edgeStrings))])
		}
		b := make([]rune, f.r.IntN(12))
		for j := range b {
			b[j] = rune(' ' + f.r.IntN(0x300))
			if f.r.IntN(4) > 0 { // mostly what a name or host is made of
				b[j] = rune("abcxyz0189-./*:_ "[f.r.IntN(17)])
			}
		}
		return protoreflect.ValueOfString(string(b))
	case protoreflect.BytesKind:
		b := make([]byte, f.r.IntN(8))
		for j := range b {
			b[j] = byte(f.r.IntN(256))
		}
		return protoreflect.ValueOfBytes(b)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(i))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(i)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(i))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(i))
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		x := f.r.NormFloat64() * math.Pow(10, float64(f.r.IntN(50)-25))
		if edge {
			x = edgeFloats[f.r.IntN(len(edgeFloats))]
		}
		if fd.Kind() == protoreflect.FloatKind {
			return protoreflect.ValueOfFloat32(float32(x))
		}
		return protoreflect.ValueOfFloat64(x)
	case protoreflect.EnumKind:
		values := fd.Enum().Values()
		if edge {
			return protoreflect.ValueOfEnum(protoreflect.EnumNumber(i)) // mostly no such value
		}
		return protoreflect.ValueOfEnum(values.Get(f.r.IntN(values.Len())).Number())
	}
	panic("unexpected kind " + fd.Kind().String())
}
