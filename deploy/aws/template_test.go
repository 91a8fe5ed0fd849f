// Package template_test checks the SAM template of docs/serverless.md.
package template_test

import (
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/reinvent-cli/reinvent/pkg/lambda"
	"github.com/reinvent-cli/reinvent/pkg/secretref"
	"github.com/reinvent-cli/reinvent/pkg/settings"
	"github.com/reinvent-cli/reinvent/pkg/store/dynamo"
)

// template is template.yaml as yaml.v3 nodes: CloudFormation's short
// tags (!Ref, !GetAtt, !Sub, !If, ...) stay on the nodes as their Tag.
type template struct {
	root       *yaml.Node // the top mapping
	parameters map[string]*yaml.Node
	conditions map[string]*yaml.Node
	resources  map[string]*yaml.Node
}

func load(t *testing.T) template {
	t.Helper()
	data, err := os.ReadFile("template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("template.yaml: %v", err)
	}
	tp := template{root: doc.Content[0]}
	tp.parameters = entries(get(tp.root, "Parameters"))
	tp.conditions = entries(get(tp.root, "Conditions"))
	tp.resources = entries(get(tp.root, "Resources"))
	return tp
}

// get is the value of key in mapping m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// path follows keys from m.
func path(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		m = get(m, k)
	}
	return m
}

func entries(m *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if m != nil {
		for i := 0; i+1 < len(m.Content); i += 2 {
			out[m.Content[i].Value] = m.Content[i+1]
		}
	}
	return out
}

// walk calls f on n and every node below it.
func walk(n *yaml.Node, f func(*yaml.Node)) {
	if n == nil {
		return
	}
	f(n)
	for _, c := range n.Content {
		walk(c, f)
	}
}

// pseudo are CloudFormation's pseudo parameters.
var pseudo = []string{"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
	"AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}

var subVar = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// TestEveryReferenceExists: every !Ref, !GetAtt and ${...} of a !Sub names
// a parameter, a resource or a pseudo parameter (a !GetAtt a resource),
// and every condition used is defined, so the stack cannot fail on a
// dangling name.
func TestEveryReferenceExists(t *testing.T) {
	tp := load(t)
	if v := get(tp.root, "Transform"); v == nil || v.Value != "AWS::Serverless-2016-10-31" {
		t.Errorf("Transform is not AWS::Serverless-2016-10-31")
	}
	name := func(n string) bool {
		_, p := tp.parameters[n]
		_, r := tp.resources[n]
		return p || r || slices.Contains(pseudo, n)
	}
	resource := func(n string) bool { _, ok := tp.resources[n]; return ok }
	var refs int
	walk(tp.root, func(n *yaml.Node) {
		switch {
		case n.Tag == "!Ref" || n.Kind == yaml.MappingNode && get(n, "Ref") != nil && len(n.Content) == 2:
			v := n.Value
			if n.Tag != "!Ref" {
				v = get(n, "Ref").Value
			}
			refs++
			if !name(v) {
				t.Errorf("line %d: Ref %q names no parameter or resource", n.Line, v)
			}
		case n.Tag == "!GetAtt":
			res := n.Value
			if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
				res = n.Content[0].Value
			}
			res, _, _ = strings.Cut(res, ".")
			refs++
			if !resource(res) {
				t.Errorf("line %d: GetAtt %q names no resource", n.Line, res)
			}
		case n.Tag == "!Sub":
			s, vars := n, map[string]bool{}
			if n.Kind == yaml.SequenceNode {
				s = n.Content[0]
				for k := range entries(n.Content[1]) {
					vars[k] = true
				}
			}
			for _, m := range subVar.FindAllStringSubmatch(s.Value, -1) {
				v, _, _ := strings.Cut(m[1], ".")
				refs++
				if !vars[v] && !name(v) {
					t.Errorf("line %d: !Sub ${%s} names no parameter or resource", n.Line, m[1])
				}
			}
		case n.Tag == "!If":
			if _, ok := tp.conditions[n.Content[0].Value]; !ok {
				t.Errorf("line %d: !If condition %q is not defined", n.Line, n.Content[0].Value)
			}
		}
	})
	for id, r := range tp.resources {
		if c := get(r, "Condition"); c != nil {
			if _, ok := tp.conditions[c.Value]; !ok {
				t.Errorf("resource %s: condition %q is not defined", id, c.Value)
			}
		}
	}
	if refs < 20 {
		t.Errorf("only %d references found: the walk is broken", refs)
	}
}

// functions are the template's AWS::Serverless::Function resources.
func (tp template) functions() map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for id, r := range tp.resources {
		if get(r, "Type").Value == "AWS::Serverless::Function" {
			out[id] = r
		}
	}
	return out
}

// TestFunctions: one function per handler reinvent lambda serves, each on
// provided.al2023, the webhook behind a public function URL, the worker
// woken by the table's stream and by a schedule, the schedule function on
// a schedule.
func TestFunctions(t *testing.T) {
	tp := load(t)
	globals := path(tp.root, "Globals", "Function")
	if v := get(globals, "Runtime"); v == nil || v.Value != "provided.al2023" {
		t.Errorf("Globals: Runtime is not provided.al2023")
	}
	byHandler := map[string]string{}
	for id, f := range tp.functions() {
		h := path(f, "Properties", "Handler")
		if h == nil || !slices.Contains(lambda.Handlers, h.Value) {
			t.Errorf("%s: its Handler is not one of %v", id, lambda.Handlers)
			continue
		}
		if other, dup := byHandler[h.Value]; dup {
			t.Errorf("%s and %s both serve %s", id, other, h.Value)
		}
		byHandler[h.Value] = id
		if r := path(f, "Properties", "Role"); r == nil || r.Tag != "!GetAtt" {
			t.Errorf("%s: no role of its own (SAM would make one with its own policies)", id)
		}
	}
	for _, h := range lambda.Handlers {
		if byHandler[h] == "" {
			t.Errorf("no function serves the handler %s", h)
		}
	}

	events := func(handler string) map[string]string {
		out := map[string]string{}
		for name, e := range entries(path(tp.resources[byHandler[handler]], "Properties", "Events")) {
			out[get(e, "Type").Value] = name
		}
		return out
	}
	worker := events(lambda.Worker)
	if worker["DynamoDB"] == "" || worker["ScheduleV2"] == "" {
		t.Errorf("the worker's events are %v: want the table's stream (DynamoDB) and a schedule (ScheduleV2)", worker)
	} else {
		e := path(tp.resources[byHandler[lambda.Worker]], "Properties", "Events", worker["DynamoDB"], "Properties")
		if s := get(e, "Stream"); s == nil || s.Tag != "!GetAtt" || s.Value != "Table.StreamArn" {
			t.Errorf("the worker's stream is not Table.StreamArn")
		}
		if p := get(e, "StartingPosition"); p == nil || p.Value != "LATEST" {
			t.Errorf("the worker's stream does not start at LATEST")
		}
	}
	if events(lambda.Schedule)["ScheduleV2"] == "" {
		t.Errorf("the schedule function has no ScheduleV2 event")
	}

	var url, invokeURL, invoke bool
	for _, r := range tp.resources {
		p := get(r, "Properties")
		switch get(r, "Type").Value {
		case "AWS::Lambda::Url":
			url = get(p, "TargetFunctionArn").Value == byHandler[lambda.Webhook]+".Arn" && get(p, "AuthType").Value == "NONE"
		case "AWS::Lambda::Permission":
			if get(p, "FunctionName").Value != byHandler[lambda.Webhook] {
				continue
			}
			invokeURL = invokeURL || get(p, "Action").Value == "lambda:InvokeFunctionUrl" && path(p, "FunctionUrlAuthType").Value == "NONE"
			invoke = invoke || get(p, "Action").Value == "lambda:InvokeFunction" && get(p, "InvokedViaFunctionUrl") != nil
		}
	}
	if !url || !invokeURL || !invoke {
		t.Errorf("the webhook's function URL (AuthType NONE) and its two permissions: url %v, InvokeFunctionUrl %v, InvokeFunction %v", url, invokeURL, invoke)
	}
}

// TestNoSecretInPlainText: every secret setting set in the functions'
// environment holds a reference (secretsmanager:... or ssm:...) in every
// branch, never a value or a parameter's value; and no other variable
// reads a parameter whose name says it is a secret.
func TestNoSecretInPlainText(t *testing.T) {
	tp := load(t)
	secret := map[string]bool{}
	for _, n := range settings.Names(settings.Secret) {
		secret[settings.EnvName(n)] = true
	}
	vars := []*yaml.Node{path(tp.root, "Globals", "Function", "Environment", "Variables")}
	for _, f := range tp.functions() {
		vars = append(vars, path(f, "Properties", "Environment", "Variables"))
	}
	var seen []string
	for _, vs := range vars {
		for name, v := range entries(vs) {
			if !secret[name] {
				walk(v, func(n *yaml.Node) {
					if n.Tag == "!Ref" && regexp.MustCompile(`(?i)secret|token|password`).MatchString(n.Value) {
						t.Errorf("%s is set from the parameter %s, which sounds like a secret", name, n.Value)
					}
				})
				continue
			}
			seen = append(seen, name)
			for _, s := range leaves(v) {
				if s == "<ref AWS::NoValue>" {
					continue // the variable is not set
				}
				if !secretref.IsRef(s) {
					t.Errorf("%s may hold %q, which is not a secretsmanager: or ssm: reference", name, s)
				} else if _, err := secretref.Parse(subVar.ReplaceAllString(s, "x")); err != nil {
					t.Errorf("%s: %q: %v", name, s, err)
				}
			}
		}
	}
	sort.Strings(seen)
	want := []string{"REINVENT_X_ACCESS_TOKEN", "REINVENT_X_ACCESS_TOKEN_SECRET", "REINVENT_X_CLIENT_SECRET", "REINVENT_X_CONSUMER_SECRET"}
	if !slices.Equal(seen, want) {
		t.Errorf("secret variables set: %v, want %v", seen, want)
	}
}

// leaves are the strings a value can be: each branch of an !If, the
// template of a !Sub, a plain scalar; a !Ref or !GetAtt is "<ref NAME>",
// which is no reference.
func leaves(v *yaml.Node) []string {
	switch {
	case v.Tag == "!If":
		return append(leaves(v.Content[1]), leaves(v.Content[2])...)
	case v.Tag == "!Sub" && v.Kind == yaml.SequenceNode:
		return []string{v.Content[0].Value}
	case v.Tag == "!Ref" || v.Tag == "!GetAtt":
		return []string{"<ref " + v.Value + ">"}
	case v.Kind == yaml.ScalarNode:
		return []string{v.Value}
	}
	return []string{"<" + v.Tag + ">"}
}

// statements are the IAM statements of the template's roles and managed
// policies, each branch of an !If apart.
func (tp template) statements() map[string][]*yaml.Node {
	out := map[string][]*yaml.Node{}
	add := func(where string, doc *yaml.Node) {
		for _, s := range get(doc, "Statement").Content {
			if s.Tag == "!If" {
				out[where] = append(out[where], s.Content[1], s.Content[2])
			} else {
				out[where] = append(out[where], s)
			}
		}
	}
	for id, r := range tp.resources {
		p := get(r, "Properties")
		switch get(r, "Type").Value {
		case "AWS::IAM::ManagedPolicy":
			add(id, get(p, "PolicyDocument"))
		case "AWS::IAM::Role":
			for _, pol := range get(p, "Policies").Content {
				add(id+"/"+get(pol, "PolicyName").Value, get(pol, "PolicyDocument"))
			}
		case "AWS::Serverless::Function":
			if pols := get(p, "Policies"); pols != nil {
				out[id] = append(out[id], pols)
			}
		}
	}
	return out
}

func scalars(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode && n.Tag == "!!seq" {
		return n.Content
	}
	return []*yaml.Node{n}
}

// TestLeastPrivilege: no statement allows every action of a service or
// "*"; no statement allows a write on every resource; the table's actions
// name only the table and what is under it; the secrets only the X secrets;
// and a function takes no SAM policy templates, whose actions are wider.
func TestLeastPrivilege(t *testing.T) {
	tp := load(t)
	read := regexp.MustCompile(`^[a-z0-9-]+:(Get|List|Describe|BatchGet|Query)[A-Za-z]*$`)
	var n int
	for where, sts := range tp.statements() {
		for _, s := range sts {
			if s.Kind != yaml.MappingNode {
				t.Errorf("%s: Policies %v: write the statements out in a role", where, s.Tag)
				continue
			}
			n++
			if get(s, "NotAction") != nil || get(s, "NotResource") != nil {
				t.Errorf("%s line %d: NotAction or NotResource", where, s.Line)
			}
			if get(s, "Principal") != nil { // a trust policy
				continue
			}
			actions, resources := scalars(get(s, "Action")), scalars(get(s, "Resource"))
			writes := false
			for _, a := range actions {
				if a.Value == "*" || strings.HasSuffix(a.Value, ":*") {
					t.Errorf("%s line %d: action %q allows everything", where, a.Line, a.Value)
				}
				writes = writes || !read.MatchString(a.Value)
			}
			for _, r := range resources {
				// Not even for reads: every action here has a resource.
				if r.Value == "*" {
					t.Errorf("%s line %d: Resource \"*\" (writes: %v)", where, r.Line, writes)
				}
			}
			for _, a := range actions {
				svc, _, _ := strings.Cut(a.Value, ":")
				for _, r := range resources {
					switch svc {
					case "dynamodb":
						if !strings.HasPrefix(r.Value, "Table.") && !strings.HasPrefix(r.Value, "${Table.Arn}/") {
							t.Errorf("%s: %s on %q, not the table", where, a.Value, r.Value)
						}
					case "secretsmanager", "ssm":
						if !strings.Contains(r.Value, "${XSecretName}") && !strings.Contains(r.Value, "${XParameterPath}/") {
							t.Errorf("%s: %s on %q, not the X secrets", where, a.Value, r.Value)
						}
					case "logs":
						if r.Tag != "!GetAtt" || !strings.HasSuffix(r.Value, "Logs.Arn") {
							t.Errorf("%s: %s on %q, not the function's log group", where, a.Value, r.Value)
						}
					}
				}
			}
		}
	}
	if n < 6 {
		t.Errorf("only %d statements found: the walk is broken", n)
	}
	// The table's actions are the store's, no more and no fewer.
	var onTable []string
	for _, sts := range tp.statements() {
		for _, s := range sts {
			if s.Kind != yaml.MappingNode {
				continue
			}
			for _, a := range scalars(get(s, "Action")) {
				if strings.HasPrefix(a.Value, "dynamodb:") && !slices.Contains(streamActions, a.Value) && !slices.Contains(onTable, a.Value) {
					onTable = append(onTable, a.Value)
				}
			}
		}
	}
	slices.Sort(onTable)
	if want := slices.Sorted(slices.Values(dynamo.Actions)); !slices.Equal(onTable, want) {
		t.Errorf("the roles grant %v on the table, the store needs %v (pkg/store/dynamo.Actions)", onTable, want)
	}
}

// streamActions are the worker's, on the table's stream.
var streamActions = []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"}

// TestTableAndAlarms: the table is docs/serverless.md's (on demand, PK and
// SK, GSI1, TTL on ttl, a stream of new images), and each function has an
// alarm on its errors and the worker one on the queue's age.
func TestTableAndAlarms(t *testing.T) {
	tp := load(t)
	p := path(tp.resources["Table"], "Properties")
	keys := func(n *yaml.Node) string {
		var s []string
		for _, k := range n.Content {
			s = append(s, get(k, "AttributeName").Value+" "+get(k, "KeyType").Value)
		}
		return strings.Join(s, ", ")
	}
	if got := keys(get(p, "KeySchema")); got != "PK HASH, SK RANGE" {
		t.Errorf("key schema %s", got)
	}
	gsi := get(p, "GlobalSecondaryIndexes").Content
	if len(gsi) != 1 || get(gsi[0], "IndexName").Value != "GSI1" || keys(get(gsi[0], "KeySchema")) != "GSI1PK HASH, GSI1SK RANGE" {
		t.Errorf("the index is not GSI1 on GSI1PK and GSI1SK")
	}
	for k, want := range map[string]string{
		"BillingMode": "PAY_PER_REQUEST", "TimeToLiveSpecification/AttributeName": "ttl",
		"TimeToLiveSpecification/Enabled": "true", "StreamSpecification/StreamViewType": "NEW_IMAGE",
	} {
		if v := path(p, strings.Split(k, "/")...); v == nil || v.Value != want {
			t.Errorf("Table %s is not %s", k, want)
		}
	}

	alarms := map[string]bool{}
	for _, r := range tp.resources {
		if get(r, "Type").Value != "AWS::CloudWatch::Alarm" {
			continue
		}
		ap := get(r, "Properties")
		for _, d := range get(ap, "Dimensions").Content {
			alarms[get(ap, "MetricName").Value+" "+get(d, "Value").Value] = true
		}
	}
	for id := range tp.functions() {
		if !alarms["Errors "+id] {
			t.Errorf("no alarm on the errors of %s", id)
		}
	}
	if !alarms["IteratorAge WorkerFunction"] {
		t.Errorf("no alarm on the queue's age (the worker's IteratorAge)")
	}
	// A delivery the store could not take is a 500 to X, not an error to
	// Lambda: only the function URL's count of 5xx answers shows it.
	if !alarms["Url5xxCount WebhookFunction"] {
		t.Errorf("no alarm on the webhook's 5xx answers (Url5xxCount)")
	}
}
