// Package fakeportal is a fake of the attendee portal's GraphQL API for
// tests: a real GraphQL server (graph-gophers/graphql-go) with the portal's
// session types, served over loopback, with hooks to inject failures.
package fakeportal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	graphql "github.com/graph-gophers/graphql-go"
)

// Schema is the part of the portal's schema the fake serves.
const Schema = `
schema { query: Query }

type Query {
  listSessions(input: ListSessionsInput!): ListSessionsOutput
}

input ListSessionsInput {
  eventId: ID!
  maxResults: Int
  nextToken: String
}

type ListSessionsOutput {
  results: [Session!]!
  totalCount: Int!
  nextToken: String
}

type Session {
  sessionId: ID!
  eventId: ID
  alias: String!
  name: String!
  description: String
  status: String
  type: String
  action: String
  level: String
  startTime: Float
  endTime: Float
  duration: Int
  createdAt: Float
  isFavoritedByMe: Boolean!
  isEmbargoed: Boolean!
  isPaidSession: Boolean!
  myReservationStatus: String
  room: Room
  sessionType: SessionType
  tracks: [Track!]
  speakers: [Speaker!]
  customFieldDetails: [CustomFieldDetail!]
}

type Room { name: String venue: Venue }
type Venue { name: String }
type SessionType { name: String }
type Track { name: String }
type Speaker { firstName: String lastName: String jobTitle: String companyName: String }

interface CustomFieldDetail {
  name: String!
  type: String
  visibility: String
  fieldId: ID
}

type CustomFieldOptionValue { fieldOptionId: ID name: String }

type CustomFieldValueMultiSelect implements CustomFieldDetail {
  name: String!
  type: String
  visibility: String
  fieldId: ID
  values: [CustomFieldOptionValue!]
}

type CustomFieldValueSingleSelect implements CustomFieldDetail {
  name: String!
  type: String
  visibility: String
  fieldId: ID
  value: CustomFieldOptionValue
}
`

// Session is one session as the portal stores it; its JSON form is the
// portal's (a page of results decodes into []*Session).
type Session struct {
	SessionID           graphql.ID     `json:"sessionId"`
	EventID             *graphql.ID    `json:"eventId"`
	Alias               string         `json:"alias"`
	Name                string         `json:"name"`
	Description         *string        `json:"description"`
	Status              *string        `json:"status"`
	Type                *string        `json:"type"`
	Action              *string        `json:"action"`
	Level               *string        `json:"level"`
	StartTime           *float64       `json:"startTime"`
	EndTime             *float64       `json:"endTime"`
	Duration            *int32         `json:"duration"`
	CreatedAt           *float64       `json:"createdAt"`
	IsFavoritedByMe     bool           `json:"isFavoritedByMe"`
	IsEmbargoed         bool           `json:"isEmbargoed"`
	IsPaidSession       bool           `json:"isPaidSession"`
	MyReservationStatus *string        `json:"myReservationStatus"`
	Room                *Room          `json:"room"`
	SessionType         *Named         `json:"sessionType"`
	Tracks              *[]*Named      `json:"tracks"`
	Speakers            *[]*Speaker    `json:"speakers"`
	Fields              []*CustomField `json:"customFieldDetails"`
}

// CustomFieldDetails resolves the interface-typed custom fields.
func (s *Session) CustomFieldDetails() *[]*CustomField {
	if s.Fields == nil {
		return nil
	}
	return &s.Fields
}

// Room is where a session takes place.
type Room struct {
	Name  *string `json:"name"`
	Venue *Named  `json:"venue"`
}

// Named is any portal object with only a name (venue, session type, track).
type Named struct {
	Name *string `json:"name"`
}

// Speaker is a session's speaker.
type Speaker struct {
	FirstName   *string `json:"firstName"`
	LastName    *string `json:"lastName"`
	JobTitle    *string `json:"jobTitle"`
	CompanyName *string `json:"companyName"`
}

// Option is one chosen value of a custom field.
type Option struct {
	FieldOptionID *graphql.ID `json:"fieldOptionId"`
	Name          *string     `json:"name"`
}

// CustomField is a custom field detail: a multi-select with Values or a
// single-select with Value, told apart by Typename.
type CustomField struct {
	FName       string      `json:"name"`
	FType       *string     `json:"type"`
	FVisibility *string     `json:"visibility"`
	FFieldID    *graphql.ID `json:"fieldId"`
	FValues     *[]*Option  `json:"values"`
	FValue      *Option     `json:"value"`
	Typename    string      `json:"__typename"`
}

// Name resolves CustomFieldDetail.name.
func (f *CustomField) Name() string { return f.FName }

// Type resolves CustomFieldDetail.type.
func (f *CustomField) Type() *string { return f.FType }

// Visibility resolves CustomFieldDetail.visibility.
func (f *CustomField) Visibility() *string { return f.FVisibility }

// FieldID resolves CustomFieldDetail.fieldId.
func (f *CustomField) FieldID() *graphql.ID { return f.FFieldID }

// Values resolves CustomFieldValueMultiSelect.values.
func (f *CustomField) Values() *[]*Option { return f.FValues }

// Value resolves CustomFieldValueSingleSelect.value.
func (f *CustomField) Value() *Option { return f.FValue }

// ToCustomFieldValueMultiSelect reports whether f is a multi-select.
func (f *CustomField) ToCustomFieldValueMultiSelect() (*CustomField, bool) {
	return f, f.Typename != "CustomFieldValueSingleSelect"
}

// ToCustomFieldValueSingleSelect reports whether f is a single-select.
func (f *CustomField) ToCustomFieldValueSingleSelect() (*CustomField, bool) {
	return f, f.Typename == "CustomFieldValueSingleSelect"
}

// Server is a running fake portal. Set its hook fields before the first
// request; they are read under a lock.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	sessions []*Session
	token    string
	requests int
	auths    []string
	inputs   []string

	// Latency is how long after a request its answer goes out.
	Latency time.Duration
	// Intercept, when set, is called for request n (1-based, counting
	// every POST); when it returns true it has answered the request itself.
	Intercept func(n int, w http.ResponseWriter, r *http.Request) bool
	// Rewrite, when set, may change the JSON body of answer n before it
	// is sent (to make it malformed).
	Rewrite func(n int, body []byte) []byte

	schema *graphql.Schema
}

// New starts a fake portal on loopback holding sessions, accepting only the
// access token token. The server is closed when the test ends.
func New(tb interface{ Cleanup(func()) }, token string, sessions []*Session) *Server {
	s := &Server{sessions: sessions, token: token}
	s.schema = graphql.MustParseSchema(Schema, &query{s: s}, graphql.UseFieldResolvers())
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// SetToken changes the access token the fake accepts.
func (s *Server) SetToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// Requests returns how many POSTs the fake has received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Inputs returns the ListSessionsInput of every query so far, as
// "eventId maxResults nextToken" with "-" for an absent value.
func (s *Server) Inputs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.inputs...)
}

// Authorizations returns the Authorization header of every request so far.
func (s *Server) Authorizations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	s.requests++
	n := s.requests
	s.auths = append(s.auths, r.Header.Get("Authorization"))
	token := s.token
	latency, intercept, rewrite := s.Latency, s.Intercept, s.Rewrite
	s.mu.Unlock()

	// The answer goes out latency after the request came, however long
	// the fake took to compute it: the fake's own work stands for the
	// portal's, which the latency already covers.
	deadline := time.Now().Add(latency)
	wait := func() bool {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-r.Context().Done():
			return false
		}
	}
	if intercept != nil {
		if !wait() {
			return
		}
		if intercept(n, w, r) {
			return
		}
	}
	if r.Header.Get("Authorization") != token {
		if !wait() {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"Unauthorized"}`))
		return
	}
	var req struct {
		Query         string         `json:"query"`
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
	}
	err := json.NewDecoder(r.Body).Decode(&req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp := s.schema.Exec(r.Context(), req.Query, req.OperationName, req.Variables)
	var body []byte
	if len(resp.Errors) == 0 && len(resp.Extensions) == 0 {
		// The data is JSON already; saves re-encoding it as Marshal would.
		body = append(append([]byte(`{"data":`), resp.Data...), '}')
	} else if body, err = json.Marshal(resp); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if rewrite != nil {
		body = rewrite(n, body)
	}
	if !wait() {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

type query struct{ s *Server }

type listInput struct {
	EventID    graphql.ID
	MaxResults *int32
	NextToken  *string
}

type listOutput struct {
	Results    []*Session
	TotalCount int32
	NextToken  *string
}

// ListSessions resolves Query.listSessions, paging by an opaque token.
func (q *query) ListSessions(_ context.Context, args struct{ Input listInput }) (*listOutput, error) {
	in := args.Input
	limit, next := "-", "-"
	if in.MaxResults != nil {
		limit = strconv.Itoa(int(*in.MaxResults))
	}
	if in.NextToken != nil {
		next = *in.NextToken
	}
	q.s.mu.Lock()
	all := q.s.sessions
	q.s.inputs = append(q.s.inputs, string(in.EventID)+" "+limit+" "+next)
	q.s.mu.Unlock()
	size := 100
	if m := args.Input.MaxResults; m != nil && *m > 0 && *m < 100 {
		size = int(*m)
	}
	from := 0
	if t := args.Input.NextToken; t != nil {
		n, err := strconv.Atoi(strings.TrimPrefix(*t, "page-from-"))
		if err != nil || !strings.HasPrefix(*t, "page-from-") || n < 0 || n > len(all) {
			return nil, fmt.Errorf("invalid nextToken %q", *t)
		}
		from = n
	}
	to := min(from+size, len(all))
	out := &listOutput{Results: all[from:to], TotalCount: int32(len(all))}
	if to < len(all) {
		t := "page-from-" + strconv.Itoa(to)
		out.NextToken = &t
	}
	return out, nil
}

// LoadPage reads a portal answer (a page of ListSessions as the portal
// sends it) and returns its sessions.
func LoadPage(path string) ([]*Session, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var page struct {
		Data struct {
			ListSessions struct {
				Results []*Session `json:"results"`
			} `json:"listSessions"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return page.Data.ListSessions.Results, nil
}

// Generate makes n distinct scheduled sessions for paging tests and
// benchmarks.
func Generate(n int) []*Session {
	str := func(s string) *string { return &s }
	venues := []string{"Fictional Hall", "Invented Forum", "Pretend Palace"}
	out := make([]*Session, n)
	start := float64(time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC).UnixMilli())
	for i := range out {
		st := start + float64(i%40)*3_600_000
		dur := int32(60)
		out[i] = &Session{
			SessionID:       graphql.ID(fmt.Sprintf("gen-%05d", i)),
			Alias:           fmt.Sprintf("GEN%d-R%d", 100+i/9, i%9+1),
			Name:            fmt.Sprintf("Generated session %d", i),
			Description:     str("A generated session."),
			Status:          str("published"),
			Level:           str([]string{"introductory", "intermediate", "advanced", "expert"}[i%4]),
			StartTime:       &st,
			Duration:        &dur,
			IsFavoritedByMe: i%7 == 0,
			Room:            &Room{Name: str(fmt.Sprintf("Room %d", i%20)), Venue: &Named{Name: str(venues[i%3])}},
			SessionType:     &Named{Name: str("Breakout Session")},
			Tracks:          &[]*Named{{Name: str("Generated")}},
			Speakers:        &[]*Speaker{{FirstName: str("Gen"), LastName: str(strconv.Itoa(i))}},
			Fields: []*CustomField{{
				FName:    "AWS Service",
				FValues:  &[]*Option{{Name: str("Amazon Generated Service")}},
				Typename: "CustomFieldValueMultiSelect",
			}},
		}
	}
	return out
}
