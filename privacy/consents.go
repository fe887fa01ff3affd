package privacy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// TextVersions are the versions of the consent texts in force. A consent
// given to an older text needs renewing; employer contact has no text of
// its own (it is given per employment, in conversation).
var TextVersions = map[models.ConsentPurpose]string{
	models.ConsentStatistics: "2026-11",
	models.ConsentPush:       "2026-11",
	models.ConsentTerms:      "2026-11",
}

// EventConsentRecorded tells a participant that staff recorded a consent
// (or its withdrawal) on their behalf.
const EventConsentRecorded = "consent.recorded"

// Purposes lists the purposes in the order the app shows them.
var Purposes = []models.ConsentPurpose{models.ConsentTerms, models.ConsentPush, models.ConsentStatistics, models.ConsentEmployerContact}

// The states of a consent.
const (
	StateGiven     = "given"
	StateWithdrawn = "withdrawn"
	StateNotAsked  = "not_asked" // no record yet
)

// ConsentView is one consent as the participant (or their counselor) sees
// it: the state in force and every record that led to it.
type ConsentView struct {
	Purpose        models.ConsentPurpose  `json:"purpose"`
	EmploymentID   string                 `json:"employmentId,omitempty"` // employer contact: per employment
	Company        string                 `json:"company,omitempty"`
	Title          string                 `json:"title"` // filled by the HTTP layer in the reader's language
	Text           string                 `json:"text"`
	CurrentVersion string                 `json:"currentVersion,omitempty"`
	State          string                 `json:"state"`
	Version        string                 `json:"version,omitempty"` // the text version consented to
	NeedsRenewal   bool                   `json:"needsRenewal"`      // given to an older text
	At             *time.Time             `json:"at,omitempty"`
	ByRole         models.Role            `json:"byRole,omitempty"`
	History        []models.ConsentRecord `json:"history"`
}

// ConsentInput gives or withdraws one consent.
type ConsentInput struct {
	Purpose      models.ConsentPurpose
	Given        bool
	EmploymentID string // employer contact only
	TextVersion  string // giving: the version of the text that was shown
	Reason       string // staff recording on the participant's behalf
}

const maxReasonLen = 500

// Consents lists a participant's consents: each purpose once, and employer
// contact once per employment.
func (s *Service) Consents(ctx context.Context, p auth.Principal, participantID string) ([]ConsentView, error) {
	if _, err := s.participant(ctx, p, auth.ReadConsents, participantID); err != nil {
		return nil, err
	}
	return s.consentViews(ctx, participantID)
}

func (s *Service) consentViews(ctx context.Context, participantID string) ([]ConsentView, error) {
	recs, err := s.store.AllConsents(ctx, participantID)
	if err != nil {
		return nil, err
	}
	jobs, err := s.store.Employments(ctx, participantID)
	if err != nil {
		return nil, err
	}
	var out []ConsentView
	for _, purpose := range Purposes {
		if purpose != models.ConsentEmployerContact {
			out = append(out, view(purpose, "", recs))
			continue
		}
		for _, e := range jobs {
			v := view(purpose, e.ID, recs)
			v.Company = e.Company.Name
			out = append(out, v)
		}
	}
	return out, nil
}

// view derives one consent's state from its records (oldest first: the
// last one is in force).
func view(purpose models.ConsentPurpose, subjectID string, recs []models.ConsentRecord) ConsentView {
	v := ConsentView{Purpose: purpose, EmploymentID: subjectID, CurrentVersion: TextVersions[purpose], State: StateNotAsked, History: []models.ConsentRecord{}}
	for _, r := range recs {
		if r.Purpose != purpose || r.SubjectID != subjectID {
			continue
		}
		v.History = append(v.History, r)
		at := r.At
		v.At, v.ByRole, v.Version = &at, r.ByRole, r.TextVersion
		v.State = StateWithdrawn
		if r.Given {
			v.State = StateGiven
		}
	}
	v.NeedsRenewal = v.State == StateGiven && v.CurrentVersion != "" && v.Version != v.CurrentVersion
	return v
}

// SetConsent records that a participant gives or withdraws a consent. A
// counselor may record it on the participant's behalf (a signed paper
// declaration, a phone call) and must say why. Giving names the version
// of the text that was shown; a text changed since is a Conflict, so
// nobody consents to words they did not see.
func (s *Service) SetConsent(ctx context.Context, p auth.Principal, participantID string, in ConsentInput) (ConsentView, error) {
	u, err := s.participant(ctx, p, auth.ManageConsents, participantID)
	if err != nil {
		return ConsentView{}, err
	}
	if in.Given && u.WithdrawnAt != nil {
		// Nobody gives a consent on behalf of someone who has left and
		// cannot see it; withdrawing one is always possible.
		return ConsentView{}, auth.ErrParticipantWithdrawn()
	}
	var fields apperr.Fields
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case !slices.Contains(Purposes, in.Purpose):
		fields.Add("purpose", "consent.unknown_purpose", "Choose one of: terms, push, statistics, employer_contact.")
	case in.Purpose == models.ConsentEmployerContact && in.EmploymentID == "":
		fields.Add("employmentId", "field.required", "Say which employment the consent is about.")
	case in.Purpose != models.ConsentEmployerContact && in.EmploymentID != "":
		fields.Add("employmentId", "consent.no_employment", "Only employer contact is given per employment.")
	}
	current := TextVersions[in.Purpose]
	if in.Given && current != "" && in.TextVersion == "" {
		fields.Add("textVersion", "field.required", "Say which version of the text was shown.")
	}
	switch {
	case p.Role != models.RoleParticipant && in.Reason == "":
		fields.Add("reason", "consent.reason_required", "Say why you record this on the participant's behalf.")
	case utf8.RuneCountInString(in.Reason) > maxReasonLen:
		fields.Add("reason", "field.too_long", "Use at most 500 characters.")
	}
	if err := fields.Err(); err != nil {
		return ConsentView{}, err
	}
	if in.Given && current != "" && in.TextVersion != current {
		return ConsentView{}, apperr.New(apperr.Conflict, "consent.text_changed",
			"The text has changed since it was shown. Please read the new one.")
	}
	var company string
	if in.Purpose == models.ConsentEmployerContact {
		jobs, err := s.store.Employments(ctx, participantID)
		if err != nil {
			return ConsentView{}, err
		}
		found := false
		for _, e := range jobs {
			if e.ID == in.EmploymentID {
				found, company = true, e.Company.Name
			}
		}
		if !found {
			return ConsentView{}, apperr.New(apperr.NotFound, "employment.not_found", "No such employment.")
		}
	}
	rec := models.ConsentRecord{
		ID: s.newID(), ParticipantID: participantID, Purpose: in.Purpose, SubjectID: in.EmploymentID,
		Given: in.Given, At: s.now(), ByID: p.UserID, ByRole: p.Role, Reason: in.Reason,
	}
	if in.Given {
		rec.TextVersion = current
	}
	if err := s.store.InsertConsent(ctx, rec); err != nil {
		return ConsentView{}, fmt.Errorf("record consent: %w", err)
	}
	if p.Role != models.RoleParticipant {
		// Recorded on their behalf: the participant is told, so nothing
		// about their consents changes without their knowing.
		if err := s.store.RecordEvent(ctx, models.Event{
			ID: s.newID(), DedupeKey: EventConsentRecorded + "/" + rec.ID, Type: EventConsentRecorded, RecipientID: participantID,
			Params:    map[string]any{"senderId": p.UserID, "purpose": string(in.Purpose), "given": in.Given},
			CreatedAt: rec.At, DueAt: rec.At, State: models.EventPending,
		}); err != nil {
			return ConsentView{}, err
		}
	}
	recs, err := s.store.AllConsents(ctx, participantID)
	if err != nil {
		return ConsentView{}, err
	}
	v := view(in.Purpose, in.EmploymentID, recs)
	v.Company = company
	return v, nil
}

// Given reports whether the consent in force for purpose is given: the
// latest record decides; none means not given.
func Given(recs []models.ConsentRecord, purpose models.ConsentPurpose, subjectID string) bool {
	return view(purpose, subjectID, recs).State == StateGiven
}
