package checkin

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
)

// AnswerInput is a participant's answer: one tap and an optional text.
type AnswerInput struct {
	Choice models.CheckInChoice
	Text   string
}

// AnswerView is the participant's current answer.
type AnswerView struct {
	models.CheckInAnswer
	// CallbackRequested is set when the answer is "I'd like to talk": the
	// counselor has a call-me request in the conversation (a new one, or
	// the one still open).
	CallbackRequested bool `json:"callbackRequested"`
}

// maxAnswerTries bounds how often an answer is retried when another
// answer of the same participant (a second phone) took its version.
const maxAnswerTries = 5

// Answer records a participant's answer to a check-in they were asked,
// while it is open. Answering again is a change of mind: the new answer
// replaces the old one (it is the next version; the old ones stay);
// sending the same answer again changes nothing. "I'd like to talk" also
// asks the participant's counselor to call, in the conversation, with the
// text as the note. Anyone not asked gets NotFound.
func (s *Service) Answer(ctx context.Context, p auth.Principal, checkInID string, in AnswerInput) (AnswerView, error) {
	if err := auth.Authorize(p, auth.AnswerCheckIn, auth.Subject{ParticipantID: p.UserID}); err != nil {
		return AnswerView{}, err
	}
	var f apperr.Fields
	if !in.Choice.Valid() {
		f.Add("choice", "checkin.choice", "Choose good, okay or talk.")
	}
	in.Text = strings.TrimSpace(in.Text)
	if utf8.RuneCountInString(in.Text) > maxTextRunes {
		f.Add("text", "field.too_long", "Use at most 500 characters.")
	}
	if err := f.Err(); err != nil {
		return AnswerView{}, err
	}
	c, err := s.store.CheckIn(ctx, checkInID)
	if err != nil {
		return AnswerView{}, err
	}
	r, err := s.store.CheckInRecipient(ctx, c.ID, p.UserID)
	if err != nil {
		return AnswerView{}, err // NotFound: not asked
	}
	if !s.now().Before(c.ClosesAt) {
		return AnswerView{}, apperr.New(apperr.RuleViolation, "checkin.closed", "This check-in is closed. You are welcome to write to your counselor.")
	}
	a, err := s.insertAnswer(ctx, r, in)
	if err != nil {
		return AnswerView{}, err
	}
	v := AnswerView{CheckInAnswer: a}
	if a.Choice == models.CheckInTalk {
		note := "Svar på check-in »Hvordan går det?«: Jeg vil gerne tale med dig."
		if a.Text != "" {
			note += "\n\n" + a.Text
		}
		in := messaging.CallbackInput{Reason: models.CallbackSomeElse, Note: note}
		if _, _, err := s.callbacks.RequestCallback(ctx, p, p.UserID, in); err != nil {
			return AnswerView{}, errf("request callback", err)
		}
		v.CallbackRequested = true
	}
	return v, nil
}

// insertAnswer stores in as the participant's next answer version, unless
// it is their current answer already. A clash means another answer took
// the version a moment ago: the next one is tried, so the later wins.
func (s *Service) insertAnswer(ctx context.Context, r models.CheckInRecipient, in AnswerInput) (models.CheckInAnswer, error) {
	for range maxAnswerTries {
		prev, err := s.store.LatestCheckInAnswer(ctx, r.CheckInID, r.ParticipantID)
		switch {
		case err == nil && prev.Choice == in.Choice && prev.Text == in.Text:
			return prev, nil
		case err != nil && !apperr.Is(err, apperr.NotFound):
			return models.CheckInAnswer{}, err
		}
		a := models.CheckInAnswer{
			CheckInID: r.CheckInID, ParticipantID: r.ParticipantID, DepartmentID: r.DepartmentID,
			Version: prev.Version + 1, Choice: in.Choice, Text: in.Text, AnsweredAt: s.now(),
		}
		err = s.store.InsertCheckInAnswer(ctx, a)
		if err == nil {
			a.ID = models.CheckInAnswerID(a.CheckInID, a.ParticipantID, a.Version)
			return a, nil
		}
		if !apperr.Is(err, apperr.Conflict) {
			return models.CheckInAnswer{}, errf("save answer", err)
		}
	}
	return models.CheckInAnswer{}, apperr.New(apperr.Conflict, "checkin.answer_changed", "The answer was changed a moment ago. Please try again.")
}
