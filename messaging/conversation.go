package messaging

import (
	"context"
	"slices"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/models"
)

// Person is someone named in a conversation.
type Person struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AwayView says who covers while the counselor is away and when they are back.
type AwayView struct {
	StandIn    Person `json:"standIn"`
	ReturnDate string `json:"returnDate"`
}

// Expectation codes: how soon a reply can be expected, from the median
// first reply (in office hours) of the last 30 days, rounded kindly.
const (
	ExpectWithinHour     = "within_an_hour"
	ExpectWithinFewHours = "within_a_few_hours"
	ExpectSameDay        = "within_a_working_day"
	ExpectFewDays        = "within_a_few_working_days"
	ExpectNoEstimate     = "no_estimate" // fewer than minRepliesForHint replies to go by
)

// minRepliesForHint is how many first replies a hint needs; below it the
// app says only that the counselor answers as soon as they can.
const minRepliesForHint = 3

// hintWindow is how far back reply times count.
const hintWindow = 30 * 24 * time.Hour

// ExpectedReply is the reply-time hint; Text is filled in at the edge.
type ExpectedReply struct {
	Code          string   `json:"code"`
	MedianMinutes *float64 `json:"medianMinutes,omitempty"` // in office hours
	Text          string   `json:"text"`
}

// CallbackInfo is an open "please call me" request.
type CallbackInfo struct {
	MessageID string                `json:"messageId"`
	Reason    models.CallbackReason `json:"reason"`
	At        time.Time             `json:"at"`
}

// ConversationView is a conversation's header as its reader sees it.
type ConversationView struct {
	ParticipantID   string             `json:"participantId"`
	ParticipantName string             `json:"participantName"`
	Counselor       *Person            `json:"counselor,omitempty"`
	OfficeHours     models.OfficeHours `json:"officeHours"`
	InOfficeHours   bool               `json:"inOfficeHours"`
	NextOpen        *time.Time         `json:"nextOpen,omitempty"` // outside office hours: when they begin again
	Away            *AwayView          `json:"away,omitempty"`
	ExpectedReply   ExpectedReply      `json:"expectedReply"`
	// Unread counts the other side's messages after the reader's read mark
	// (at most 100).
	Unread        int           `json:"unread"`
	LastMessageAt *time.Time    `json:"lastMessageAt,omitempty"`
	WaitingSince  *time.Time    `json:"waitingSince,omitempty"` // the oldest participant message not yet answered
	OpenCallback  *CallbackInfo `json:"openCallback,omitempty"`
}

// MyConversation is the participant's own conversation.
func (s *Service) MyConversation(ctx context.Context, p auth.Principal) (ConversationView, error) {
	if p.Role != models.RoleParticipant {
		return ConversationView{}, auth.ErrForbidden() // only participants have a conversation of their own
	}
	return s.Conversation(ctx, p, p.UserID)
}

// Conversation is a participant's conversation header: who answers and
// when, unread and waiting state.
func (s *Service) Conversation(ctx context.Context, p auth.Principal, participantID string) (ConversationView, error) {
	acc, err := s.conversation(ctx, p, auth.UseConversation, participantID)
	if err != nil {
		return ConversationView{}, err
	}
	u := acc.participant
	v := ConversationView{ParticipantID: u.ID, ParticipantName: u.Name, OfficeHours: models.DefaultOfficeHours(),
		ExpectedReply: ExpectedReply{Code: ExpectNoEstimate}}
	if u.CounselorID != "" {
		h, err := s.avail.OfficeHours(ctx, u.CounselorID)
		if err != nil {
			return ConversationView{}, err
		}
		var next time.Time
		v.OfficeHours = h
		if v.InOfficeHours, next = availability.Open(h, s.now()); !v.InOfficeHours {
			v.NextOpen = &next
		}
		away := acc.absence // read once, with the access check
		ids := map[string]bool{u.CounselorID: true}
		if away != nil {
			ids[away.StandInID] = true
		}
		names, err := s.names(ctx, ids)
		if err != nil {
			return ConversationView{}, err
		}
		v.Counselor = &Person{ID: u.CounselorID, Name: names[u.CounselorID]}
		if away != nil {
			v.Away = &AwayView{StandIn: Person{ID: away.StandInID, Name: names[away.StandInID]}, ReturnDate: availability.ReturnDate(*away)}
		}
		if v.ExpectedReply, err = s.expectation(ctx, u.CounselorID, h); err != nil {
			return ConversationView{}, err
		}
	}
	recent, err := s.store.Messages(ctx, u.ID, "", "", MaxPage)
	if err != nil {
		return ConversationView{}, err
	}
	marks, err := s.store.ReadMarks(ctx, []string{u.ID})
	if err != nil {
		return ConversationView{}, err
	}
	sum := summarize(recent, markOf(marks, u.ID, p.UserID), p.Role == models.RoleParticipant)
	v.Unread, v.LastMessageAt, v.WaitingSince, v.OpenCallback = sum.unread, sum.lastAt, sum.waitingSince, sum.callback
	return v, nil
}

// markOf is how far userID has read participantID's conversation ("" when
// they have no mark).
func markOf(marks []models.ReadMark, participantID, userID string) string {
	for _, m := range marks {
		if m.ParticipantID == participantID && m.UserID == userID {
			return m.LastReadID
		}
	}
	return ""
}

// summary is what a conversation's latest messages say.
type summary struct {
	unread       int
	lastAt       *time.Time
	lastFrom     models.Role
	waitingSince *time.Time
	callback     *CallbackInfo
}

// summarize reads messages newest first. A participant's unread messages
// are the staff's (auto-replies included) after their mark; staff's are
// the participant's.
func summarize(newestFirst []models.Message, mark string, forParticipant bool) summary {
	var s summary
	if len(newestFirst) > 0 {
		at := newestFirst[0].CreatedAt
		s.lastAt = &at
	}
	answered := false
	for _, m := range newestFirst {
		fromParticipant := m.SenderRole == models.RoleParticipant
		if s.lastFrom == "" && m.Kind != models.MessageAutoOff {
			s.lastFrom = m.SenderRole
		}
		// Without a read mark (a stand-in, a new counselor) staff count
		// only what is still unanswered, not the whole history.
		switch {
		case fromParticipant == forParticipant:
		case mark != "" && m.ID > mark:
			s.unread++
		case mark == "" && (forParticipant || !answered):
			s.unread++
		}
		if m.FromStaff() {
			answered = true
		}
		if !answered && fromParticipant {
			at := m.CreatedAt
			s.waitingSince = &at
			if m.Kind == models.MessageCallback && s.callback == nil {
				s.callback = &CallbackInfo{MessageID: m.ID, Reason: m.CallbackReason, At: m.CreatedAt}
			}
		}
	}
	return s
}

// wait is one stretch from a participant's first unanswered message to the
// first staff reply.
type wait struct {
	participantID string
	from, to      time.Time
	replierID     string
}

// firstReplies finds the waits in messages ordered oldest first (any
// conversations mixed): answered ones end at the first staff reply; with
// openUntil set, those still open end then.
func firstReplies(oldestFirst []models.Message, openUntil time.Time) []wait {
	open := map[string]time.Time{}
	var out []wait
	for _, m := range oldestFirst {
		switch {
		case m.SenderRole == models.RoleParticipant:
			if _, ok := open[m.ParticipantID]; !ok {
				open[m.ParticipantID] = m.CreatedAt
			}
		case m.FromStaff():
			if from, ok := open[m.ParticipantID]; ok {
				out = append(out, wait{participantID: m.ParticipantID, from: from, to: m.CreatedAt, replierID: m.SenderID})
				delete(open, m.ParticipantID)
			}
		}
	}
	if !openUntil.IsZero() {
		for p, from := range open {
			out = append(out, wait{participantID: p, from: from, to: openUntil})
		}
	}
	return out
}

// percentile returns the p-quantile (0–1) of sorted minutes, nearest rank.
func percentile(sorted []float64, p float64) float64 {
	i := int(p*float64(len(sorted)) + 0.999999)
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

// expectation is the kind reply-time hint for a counselor's participants:
// the median first reply, in the counselor's office hours, over the last
// 30 days of their caseload's conversations.
func (s *Service) expectation(ctx context.Context, counselorID string, h models.OfficeHours) (ExpectedReply, error) {
	caseload, err := s.store.ParticipantsOf(ctx, []string{counselorID})
	if err != nil {
		return ExpectedReply{}, err
	}
	ids := make([]string, len(caseload))
	for i, u := range caseload {
		ids[i] = u.ID
	}
	msgs, err := s.store.MessagesSince(ctx, ids, s.now().Add(-hintWindow))
	if err != nil {
		return ExpectedReply{}, err
	}
	var minutes []float64
	// Waits still open count too, as long as they have lasted so far: a
	// counselor who leaves questions unanswered does not keep a fast hint.
	for _, w := range firstReplies(msgs, s.now()) {
		minutes = append(minutes, availability.WorkingTime(h, w.from, w.to).Minutes())
	}
	if len(minutes) < minRepliesForHint {
		return ExpectedReply{Code: ExpectNoEstimate}, nil
	}
	slices.Sort(minutes)
	med := percentile(minutes, 0.5)
	code := ExpectFewDays
	switch day := availability.AverageDay(h).Minutes(); {
	case med <= 60:
		code = ExpectWithinHour
	case med <= 180:
		code = ExpectWithinFewHours
	case med <= day:
		code = ExpectSameDay
	}
	return ExpectedReply{Code: code, MedianMinutes: &med}, nil
}
