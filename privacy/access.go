package privacy

import (
	"context"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// Visit is what the HTTP layer knows of a request that touched
// participants' data: its route template, whether it changed something,
// and its request ID.
type Visit struct {
	Route     string // e.g. "GET /v1/participants/:id/hours"
	Change    bool
	RequestID string
}

// Record writes one access-log line per participant whose data a staff
// member's request touched (the Trail that Authorize filled; it holds
// nothing of participants' own requests, see auth.Principal.Saw). The
// caller fails the request when this fails, so no staff read goes unlogged.
func (s *Service) Record(ctx context.Context, p auth.Principal, v Visit) error {
	touches := p.Trail.Touches()
	if len(touches) == 0 {
		return nil
	}
	kind := models.AccessRead
	if v.Change {
		kind = models.AccessChange
	}
	now := s.now()
	entries := make([]models.AccessEntry, len(touches))
	for i, t := range touches {
		entries[i] = models.AccessEntry{
			ID: s.newID(), ParticipantID: t.ParticipantID, ActorID: p.UserID, ActorRole: p.Role,
			Action: string(t.Action), Kind: kind, Route: v.Route, RequestID: v.RequestID, At: now,
		}
	}
	return s.store.InsertAccessEntries(ctx, entries)
}

// AccessView is one access-log line with the staff member's name.
type AccessView struct {
	ID            string            `json:"id"`
	At            time.Time         `json:"at"`
	ParticipantID string            `json:"participantId,omitempty"` // admins' search only
	ActorID       string            `json:"actorId,omitempty"`       // admins' search only
	ActorName     string            `json:"actorName"`
	ActorRole     models.Role       `json:"actorRole"`
	Action        string            `json:"action"`
	Area          string            `json:"area"` // what part of the data, in the reader's language (HTTP layer)
	Kind          models.AccessKind `json:"kind"`
	Route         string            `json:"route,omitempty"`     // admins' search only
	RequestID     string            `json:"requestId,omitempty"` // admins' search only
}

// MyAccessLog lists who among staff read or changed the caller's data,
// newest first.
func (s *Service) MyAccessLog(ctx context.Context, p auth.Principal, pg models.Page) ([]AccessView, string, error) {
	if err := auth.Authorize(p, auth.ReadOwnAccessLog, auth.Subject{ParticipantID: p.UserID}); err != nil {
		return nil, "", err
	}
	items, next, err := s.store.AccessEntries(ctx, models.AccessFilter{ParticipantID: p.UserID}, pg)
	if err != nil {
		return nil, "", err
	}
	out, err := s.views(ctx, items, false)
	return out, next, err
}

// SearchAccessLog searches everyone's access log (admins), newest first.
func (s *Service) SearchAccessLog(ctx context.Context, p auth.Principal, f models.AccessFilter, pg models.Page) ([]AccessView, string, error) {
	if err := auth.Authorize(p, auth.SearchAccessLog, auth.Subject{}); err != nil {
		return nil, "", err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return nil, "", apperr.InvalidField("to", "range.invalid", "The end must be after the start.")
	}
	items, next, err := s.store.AccessEntries(ctx, f, pg)
	if err != nil {
		return nil, "", err
	}
	out, err := s.views(ctx, items, true)
	return out, next, err
}

func (s *Service) views(ctx context.Context, items []models.AccessEntry, full bool) ([]AccessView, error) {
	var ids []string
	seen := map[string]bool{}
	for _, e := range items {
		if !seen[e.ActorID] {
			seen[e.ActorID] = true
			ids = append(ids, e.ActorID)
		}
	}
	users, err := s.store.UsersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Name
	}
	out := make([]AccessView, len(items))
	for i, e := range items {
		v := AccessView{
			ID: e.ID, At: e.At, ActorName: names[e.ActorID], ActorRole: e.ActorRole,
			Action: e.Action, Kind: e.Kind,
		}
		if full {
			v.ParticipantID, v.ActorID, v.Route, v.RequestID = e.ParticipantID, e.ActorID, e.Route, e.RequestID
		}
		out[i] = v
	}
	return out, nil
}
