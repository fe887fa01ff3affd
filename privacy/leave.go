package privacy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// WithdrawalView is a leaving as staff and the participant see it.
type WithdrawalView struct {
	ParticipantID string             `json:"participantId"`
	Reason        models.LeaveReason `json:"reason"`
	At            time.Time          `json:"at"`
	ByRole        models.Role        `json:"byRole"`
	// EraseAfter is when the personal data will be erased; until then the
	// leaving can be undone.
	EraseAfter time.Time `json:"eraseAfter"`
}

func viewOf(w models.Withdrawal) WithdrawalView {
	return WithdrawalView{ParticipantID: w.ParticipantID, Reason: w.Reason, At: w.At, ByRole: w.ByRole, EraseAfter: w.EraseAfter}
}

// EventParticipantLeft tells the counselor that a participant of theirs
// has left, when someone else recorded it (the participant in the app, or
// an admin).
const EventParticipantLeft = "participant.left"

// Withdraw ends a participation (udmeldelse): the participant's own choice
// or their counselor's, with a reason. Access ends at once: every session
// is revoked, phones stop receiving pushes and seats not yet used go to the
// next in the queue. The data stays for the retention period, so a mistaken
// leaving can be undone, and is then erased by the erasure job.
//
// The withdrawal is an insert under the participant's ID, so a participant
// leaves once; a repeat finishes what a failed first attempt left undone
// and answers Conflict.
func (s *Service) Withdraw(ctx context.Context, p auth.Principal, participantID string, reason models.LeaveReason) (WithdrawalView, error) {
	u, err := s.participant(ctx, p, auth.WithdrawParticipant, participantID)
	if err != nil {
		return WithdrawalView{}, err
	}
	if !reason.Valid() {
		return WithdrawalView{}, apperr.InvalidField("reason", "withdrawal.unknown_reason",
			"Choose one of: no_longer_wanted, flexjob, old_age_pension, poor_match, no_consent, other.")
	}
	now := s.now()
	w := models.Withdrawal{
		ParticipantID: u.ID, DepartmentID: u.DepartmentID, Reason: reason, At: now,
		ByID: p.UserID, ByRole: p.Role, EraseAfter: now.Add(s.cfg.Retention), AnonID: s.newID(),
	}
	insertErr := s.store.InsertWithdrawal(ctx, w)
	if insertErr != nil && !apperr.Is(insertErr, apperr.Conflict) {
		return WithdrawalView{}, insertErr
	}
	if insertErr != nil {
		if w, err = s.store.Withdrawal(ctx, u.ID); err != nil {
			return WithdrawalView{}, err
		}
	}
	if err := s.endAccess(ctx, u, w); err != nil {
		return WithdrawalView{}, err
	}
	if insertErr != nil {
		return WithdrawalView{}, insertErr // participant.already_withdrawn
	}
	return viewOf(w), nil
}

// endAccess carries out a withdrawal; every step may be repeated.
func (s *Service) endAccess(ctx context.Context, u models.User, w models.Withdrawal) error {
	at := w.At
	if err := s.store.SetWithdrawn(ctx, u.ID, &at); err != nil {
		return err
	}
	if err := s.store.RevokeUserFamilies(ctx, u.ID, s.now()); err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	if err := s.store.DeleteDevicesOfUser(ctx, u.ID); err != nil {
		return err
	}
	if s.seats != nil {
		if err := s.seats.ReleaseSeatsOf(ctx, u.ID, w.ByID); err != nil {
			return err
		}
	}
	if u.CounselorID != "" && w.ByID != u.CounselorID {
		return s.store.RecordEvent(ctx, models.Event{
			ID: s.newID(), DedupeKey: EventParticipantLeft + "/" + u.ID + "/" + w.AnonID, Type: EventParticipantLeft,
			RecipientID: u.CounselorID, Params: map[string]any{"participantId": u.ID, "reason": string(w.Reason)},
			CreatedAt: w.At, DueAt: w.At, State: models.EventPending,
		})
	}
	return nil
}

// Withdrawal returns a participant's leaving, for staff deciding on an undo.
func (s *Service) Withdrawal(ctx context.Context, p auth.Principal, participantID string) (WithdrawalView, error) {
	if _, err := s.participant(ctx, p, auth.UndoWithdrawal, participantID); err != nil {
		return WithdrawalView{}, err
	}
	w, err := s.store.Withdrawal(ctx, participantID)
	if err != nil {
		return WithdrawalView{}, err
	}
	return viewOf(w), nil
}

// UndoWithdrawal takes a leaving back while the retention period runs. The
// participant's data is as it was; they log in again with a new activation
// code (their sessions were ended), and released seats stay released.
func (s *Service) UndoWithdrawal(ctx context.Context, p auth.Principal, participantID string) error {
	u, err := s.participant(ctx, p, auth.UndoWithdrawal, participantID)
	if err != nil {
		return err
	}
	w, err := s.store.Withdrawal(ctx, participantID)
	if apperr.Is(err, apperr.NotFound) && u.WithdrawnAt != nil {
		// An undo that stopped after deleting the withdrawal: finish it.
		return s.store.SetWithdrawn(ctx, participantID, nil)
	}
	if err != nil {
		return err
	}
	if !s.now().Before(w.EraseAfter) {
		return apperr.New(apperr.Conflict, "withdrawal.erasure_due",
			"The retention period has ended and the data is being erased; the leaving can no longer be undone.")
	}
	if err := s.store.DeleteWithdrawal(ctx, participantID); err != nil {
		return err
	}
	return s.store.SetWithdrawn(ctx, participantID, nil)
}

// eraseBatch bounds the leavers one erasure run takes.
const eraseBatch = 50

// EraseDue erases the participants whose retention period has ended and
// returns how many. Each erasure first stores the anonymous leaver record
// (under an ID drawn at leaving, so a re-run stores it once), then erases
// the personal data, then the withdrawal itself: a run stopped half-way is
// finished by the next. One leaver whose erasure fails does not hold up the
// others: the run goes on and reports the failures together.
func (s *Service) EraseDue(ctx context.Context) (int, error) {
	erased := 0
	var errs []error
	failed := map[string]bool{}
	for {
		due, err := s.store.DueWithdrawals(ctx, s.now().Add(-eraseMargin), eraseBatch+len(failed))
		if err != nil {
			return erased, errors.Join(append(errs, err)...)
		}
		tried := 0
		for _, w := range due {
			if failed[w.ParticipantID] {
				continue
			}
			tried++
			if err := s.erase(ctx, w); err != nil {
				failed[w.ParticipantID] = true
				errs = append(errs, fmt.Errorf("erase a leaver: %w", err)) // no ID in the message: it reaches the logs
				continue
			}
			erased++
		}
		if tried == 0 || ctx.Err() != nil {
			return erased, errors.Join(errs...)
		}
	}
}

func (s *Service) erase(ctx context.Context, w models.Withdrawal) error {
	u, err := s.store.User(ctx, w.ParticipantID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		// An earlier run stored the leaver record and erased the account.
	case err != nil:
		return err
	default:
		leaver, err := s.leaverRecord(ctx, u, w)
		if err != nil {
			return err
		}
		if err := s.store.InsertLeaver(ctx, leaver); err != nil {
			return err
		}
	}
	if err := s.store.EraseParticipant(ctx, w.ParticipantID); err != nil {
		return err
	}
	return s.store.DeleteWithdrawal(ctx, w.ParticipantID)
}

// leaverRecord is what statistics keep: with statistics consent, the
// course of the participation without anything that identifies; without,
// only what counting needs (department, reason, year).
func (s *Service) leaverRecord(ctx context.Context, u models.User, w models.Withdrawal) (models.LeaverRecord, error) {
	logged, err := s.store.CountAccessEntries(ctx, u.ID)
	if err != nil {
		return models.LeaverRecord{}, err
	}
	consents, err := s.store.AllConsents(ctx, u.ID)
	if err != nil {
		return models.LeaverRecord{}, err
	}
	left := w.At.In(models.Copenhagen())
	l := models.LeaverRecord{
		ID: w.AnonID, DepartmentID: w.DepartmentID, Reason: w.Reason, LeftYear: left.Year(),
		Consented: Given(consents, models.ConsentStatistics, ""), AccessLogEntries: logged,
	}
	if !l.Consented {
		return l, nil
	}
	l.StartedOn = u.CreatedAt.In(models.Copenhagen()).Format(time.DateOnly)
	l.LeftOn = left.Format(time.DateOnly)
	jobs, err := s.store.Employments(ctx, u.ID)
	if err != nil {
		return models.LeaverRecord{}, err
	}
	ends, err := s.store.EmploymentEnds(ctx, models.EmploymentIDs(jobs))
	if err != nil {
		return models.LeaverRecord{}, err
	}
	for _, e := range models.WithEnds(jobs, ends) {
		if e.StartDate > l.LeftOn {
			continue // planned, never begun while they took part
		}
		end := e.EndDate
		if end == "" || end > l.LeftOn {
			end = l.LeftOn // what happened after leaving is not known to us
		}
		l.Employments = append(l.Employments, models.EmploymentOutcome{Type: e.Type, StartDate: e.StartDate, EndDate: end})
	}
	return l, nil
}
