package istio

import (
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/meshroute/meshroute/compiler/model"
	"github.com/meshroute/meshroute/render"
)

// roundTrip checks that every spec survives protojson and a strict unmarshal (unknown fields
// refused) into a fresh message of its istio.io/api type, unchanged — what the Kubernetes API
// server's structural decoding and istiod's conversion do with the YAML we write.
func roundTrip(t *testing.T, objs []render.Object) {
	t.Helper()
	for _, o := range objs {
		js, err := protojson.Marshal(o.Spec)
		if err != nil {
			t.Errorf("%s %s/%s: marshal: %v", o.Kind, o.Namespace, o.Name, err)
			continue
		}
		back := o.Spec.ProtoReflect().New().Interface()
		if err := (protojson.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(js, back); err != nil {
			t.Errorf("%s %s/%s: strict unmarshal: %v\n%s", o.Kind, o.Namespace, o.Name, err, js)
			continue
		}
		if !proto.Equal(o.Spec, back) {
			t.Errorf("%s %s/%s: changed in the round trip:\n%s", o.Kind, o.Namespace, o.Name, js)
		}
	}
}

func TestRoundTripHandBuilt(t *testing.T) {
	m := fixtureModel()
	c := m.Clusters[0]
	c.Backends = append(c.Backends, federated(false))
	c.Gateways[0].Listeners = append(c.Gateways[0].Listeners,
		&model.Listener{Port: 8443, PortName: "https-8443-all", Protocol: "HTTPS", Hosts: []string{"*"},
			TLS: &model.TLS{Mode: "SIMPLE", CredentialName: "cert"}})
	c.RouteSets = append(c.RouteSets, &model.RouteSet{
		Name: "routetable-mesh-shop", Namespace: "shop", Origin: rtOrigin, Mesh: true,
		Hosts: []string{"reviews.shop.svc.cluster.local"}, Sources: []model.SourceSelector{{Namespace: "shop", Labels: map[string]string{"app": "web"}}},
		Routes: []*model.Route{{RouteID: &model.RouteID{Name: "r.mesh.shop"},
			Matchers: []*model.Matcher{{Headers: []model.HeaderMatch{{Name: "x-present", Present: true}},
				Query: []model.QueryMatch{{Name: "q", Present: true}}}},
			Redirect: &model.Redirect{Path: "/x", Code: 302}}},
	})
	objs := Emit(m)["cluster-1"]
	if len(objs) < 7 {
		t.Fatalf("only %d objects emitted: %v", len(objs), ids(objs))
	}
	roundTrip(t, objs)
}
