package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// GridFS collections of the attachments bucket.
const (
	colAttachmentFiles  = attachmentsFS + ".files"
	colAttachmentChunks = attachmentsFS + ".chunks"
)

// personalCollection is one collection that holds a participant's personal
// data: how its documents are found for a participant, and whether they go
// into the participant's DataExport. The registry below is the one list
// erasure works through and the README's "Personal data we store" is
// written from; a test fails on any collection that is in neither it nor
// notPersonal.
type personalCollection struct {
	name string
	// foundBy says in words how a participant's documents are found.
	foundBy string
	// exported says whether ParticipantData includes these documents
	// (directly or as part of another section).
	exported bool
	// filter selects the participant's documents from what the first
	// look-ups found; nil means there is nothing to look for.
	filter func(k erasureKeys) bson.D
	// anonymise, when set, is applied to the matching documents that must
	// stay (see enrollments) before the rest are deleted.
	anonymise func(ctx context.Context, s *Store, k erasureKeys) error
}

// erasureKeys are what finds a participant's documents in the collections
// that do not name them: gathered from the collections that do, which are
// erased only after the ones they lead to.
type erasureKeys struct {
	participantID  string
	loginHashes    []string // throttle keys derived from their login
	attachmentIDs  []string // attachments_meta → GridFS files and chunks
	notificationID []string // notifications → deliveries
	deviceIDs      []string // devices → deliveries
	tokenIDs       []string // refresh_tokens → refresh_spent
	familyIDs      []string // refresh_tokens → revoked_families
	codeIDs        []string // activation_codes → activation_uses
	celebrationIDs []string // celebrations → their activity, sessions, RSVPs
}

func eq(field, v string) bson.D { return bson.D{{Key: field, Value: v}} }

func in(field string, ids []string) bson.D {
	if len(ids) == 0 {
		return nil
	}
	return bson.D{{Key: field, Value: bson.D{{Key: "$in", Value: ids}}}}
}

// anyOf joins filters with $or, leaving out the empty ones.
func anyOf(fs ...bson.D) bson.D {
	var or bson.A
	for _, f := range fs {
		if f != nil {
			or = append(or, f)
		}
	}
	switch len(or) {
	case 0:
		return nil
	case 1:
		return or[0].(bson.D)
	}
	return bson.D{{Key: "$or", Value: or}}
}

// aboutParticipant selects outbox events and notifications for the
// participant and those for staff that name them: every event about a
// participant carries participantId (a message also senderId).
func aboutParticipant(k erasureKeys) bson.D {
	return anyOf(eq("recipientId", k.participantID), eq("params.participantId", k.participantID),
		eq("params.senderId", k.participantID))
}

func byParticipantKey(k erasureKeys) bson.D { return byParticipant(k.participantID) }
func byUserKey(k erasureKeys) bson.D        { return eq("userId", k.participantID) }
func byIDKey(k erasureKeys) bson.D          { return byID(k.participantID) }

// personalData is the registry, in erasure order: a collection comes before
// the one its documents are found through (GridFS chunks before the
// records that name them, deliveries before notifications and devices),
// the outbox and notifications after everything that records events (a
// reminder recorded while erasure runs is erased with the rest), and the
// account last but for the withdrawal, which is how the erasure
// job finds the participant again after a crash. So an erasure broken off
// at any point leaves nothing that a re-run cannot find.
var personalData = []personalCollection{
	{name: colAttachmentChunks, foundBy: "files_id = an attachment of their conversation (attachments_meta)", filter: func(k erasureKeys) bson.D { return in("files_id", k.attachmentIDs) }},
	{name: colAttachmentFiles, foundBy: "_id = an attachment of their conversation (attachments_meta)", filter: func(k erasureKeys) bson.D { return in("_id", k.attachmentIDs) }},
	{name: colAttachments, foundBy: "participantId (the conversation)", exported: true, filter: byParticipantKey},
	{name: colMessages, foundBy: "participantId (the conversation: their messages and staff's)", exported: true, filter: byParticipantKey},
	{name: colReadMarks, foundBy: "participantId (the conversation; their and staff's marks)", filter: byParticipantKey},
	{name: colConversations, foundBy: "_id (the conversation's summary: their name, latest messages without text)", filter: byIDKey},
	{name: colRSVPs, foundBy: "celebrationId = one of their celebrations, or participantId", exported: true,
		filter: func(k erasureKeys) bson.D {
			return anyOf(byParticipantKey(k), in("celebrationId", k.celebrationIDs))
		}},
	{name: colAttendance, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colEnrollments, foundBy: "participantId, or activityId = one of their celebrations", exported: true,
		filter: func(k erasureKeys) bson.D {
			return anyOf(byParticipantKey(k), in("activityId", k.celebrationIDs))
		},
		anonymise: anonymiseTickets},
	{name: colSessions, foundBy: "activityId = one of their celebrations (catalogue sessions are not personal)", exported: true,
		filter: func(k erasureKeys) bson.D { return in("activityId", k.celebrationIDs) }},
	{name: colActivities, foundBy: "_id = one of their celebrations (its title and text may name them; the catalogue is not personal)", exported: true,
		filter: func(k erasureKeys) bson.D { return in("_id", k.celebrationIDs) }},
	{name: colCelebrations, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colCheckInAnswers, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colCheckInRecipients, foundBy: "participantId (that they were asked)", filter: byParticipantKey},
	{name: colPlanNotes, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colPlanTicks, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colPlanGoals, foundBy: "participantId (every revision)", exported: true, filter: byParticipantKey},
	{name: colFollowUpNotes, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colFollowUps, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colHours, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colPayslips, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colEmploymentEnds, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colConsents, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colEmployments, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colPensionProfiles, foundBy: "_id", exported: true, filter: byIDKey},
	{name: colCalendarFeeds, foundBy: "_id", exported: true, filter: byIDKey},
	{name: colAssignments, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colAccessLog, foundBy: "participantId", exported: true, filter: byParticipantKey},
	{name: colDeliveries, foundBy: "notificationId = one of the notifications below, or deviceId = one of their devices",
		filter: func(k erasureKeys) bson.D {
			return anyOf(in("notificationId", k.notificationID), in("deviceId", k.deviceIDs))
		}},
	{name: colNotifications, foundBy: "recipientId, or params.participantId / params.senderId (staff's notifications about them)", exported: true, filter: aboutParticipant},
	{name: colDevices, foundBy: "userId", exported: true, filter: byUserKey},
	{name: colNotifyPrefs, foundBy: "_id", exported: true, filter: byIDKey},
	{name: colOutbox, foundBy: "recipientId, or params.participantId / params.senderId (staff's events about them)", filter: aboutParticipant},
	{name: colRefreshSpent, foundBy: "_id = one of their refresh tokens (refresh_tokens)", filter: func(k erasureKeys) bson.D { return in("_id", k.tokenIDs) }},
	{name: colRevokedFamilies, foundBy: "_id = the family of one of their refresh tokens (refresh_tokens)", filter: func(k erasureKeys) bson.D { return in("_id", k.familyIDs) }},
	{name: colRefreshTokens, foundBy: "userId", filter: byUserKey},
	{name: colActivationUses, foundBy: "_id = one of their activation codes (activation_codes)", filter: func(k erasureKeys) bson.D { return in("_id", k.codeIDs) }},
	{name: colActivationCodes, foundBy: "userId", filter: byUserKey},
	{name: colAuthFailures, foundBy: "key = SHA-256 of \"login:\" + their login (users.login)", filter: func(k erasureKeys) bson.D { return in("key", k.loginHashes) }},
	{name: colLogins, foundBy: "userId (its _id is the login itself)", exported: true, filter: byUserKey},
	{name: colUsers, foundBy: "_id", exported: true, filter: byIDKey},
	{name: colWithdrawals, foundBy: "_id", exported: true, filter: byIDKey},
}

// notPersonal lists the collections that hold no participant's personal
// data, each with the reason. Staff's own data (names, saved replies,
// office hours) is personal data of staff, not of a participant, and is not
// erased when a participant is.
var notPersonal = map[string]string{
	colDepartments:         "office names",
	colPensionRuleVersions: "published pension figures with their sources and the admin who entered them",
	colJobRuns:             "claims on scheduled runs: job, period, holder process, times, an error text without personal data",
	colLocks:               "short leases on a sign-up queue, named by activity and session",
	colCheckIns:            "a check-in: who sent it (staff), the department asked, times and how many were asked",
	colSavedReplies:        "a counselor's own canned texts",
	colOfficeHours:         "counselors' office hours",
	colAbsences:            "counselors' absences and stand-ins",
	colLeavers:             "anonymous leaver records under a random ID nothing links back to the participant",
	colSeedInfo:            "the marker api seed leaves in a database it filled with generated people: counts and flags, no names",
	colMigrations:          "the names of one-off data migrations done, with when",
	colIdempotency: "kept responses of creating requests, 24 h (swept): _id is a hash over caller, route and the client's " +
		"Idempotency-Key, which is never stored, and the body is sealed with a key derived from it, so a record can " +
		"neither be found for nor read about a participant without the client's key; erasure runs long after they expire",
}

// loginThrottleKey is how accounts keys a login's failed attempts
// (hashSecret("login:" + login)), so erasure can find them.
func loginThrottleKey(login string) string {
	sum := sha256.Sum256([]byte("login:" + login))
	return hex.EncodeToString(sum[:])
}

// EraseParticipant deletes every document of the registry that belongs to
// the participant, in the registry's order, ending with the account and
// then the withdrawal. It is idempotent: a second run, or a run after one
// broken off half-way, finishes the job and changes nothing more. An
// enrolment that holds a ticket in a queue is kept as an anonymous,
// cancelled ticket (queue numbers must stay dense, see activity). It
// refuses staff accounts (NotFound "participant.not_found").
func (s *Store) EraseParticipant(ctx context.Context, participantID string) error {
	if participantID == "" {
		return apperr.New(apperr.Invalid, "participant.not_found", "No such participant.")
	}
	k, err := s.erasureKeys(ctx, participantID)
	if err != nil {
		return err
	}
	for _, pc := range personalData {
		f := pc.filter(k)
		if f == nil {
			continue
		}
		if pc.anonymise != nil {
			if err := pc.anonymise(ctx, s, k); err != nil {
				return fmt.Errorf("erase participant in %s: %w", pc.name, err)
			}
		}
		if _, err := s.c(pc.name).DeleteMany(ctx, f); err != nil {
			return fmt.Errorf("erase participant in %s: %w", pc.name, err)
		}
	}
	return nil
}

// erasureKeys runs the first look-ups: the IDs that lead to documents not
// naming the participant.
func (s *Store) erasureKeys(ctx context.Context, participantID string) (erasureKeys, error) {
	k := erasureKeys{participantID: participantID}
	users, err := findAll[models.User](ctx, s.c(colUsers), byID(participantID))
	if err != nil {
		return k, err
	}
	for _, u := range users {
		if u.Role != models.RoleParticipant {
			return k, apperr.New(apperr.NotFound, "participant.not_found", "No such participant.")
		}
		if u.Login != "" {
			k.loginHashes = append(k.loginHashes, loginThrottleKey(u.Login))
		}
	}
	logins, err := findAll[loginDoc](ctx, s.c(colLogins), eq("userId", participantID))
	if err != nil {
		return k, err
	}
	for _, l := range logins {
		k.loginHashes = append(k.loginHashes, loginThrottleKey(l.Login))
	}
	type idDoc struct {
		ID       string `bson:"_id"`
		FamilyID string `bson:"familyId"`
	}
	ids := func(col string, filter bson.D, extra ...string) ([]idDoc, error) {
		proj := bson.D{{Key: "_id", Value: 1}}
		for _, f := range extra {
			proj = append(proj, bson.E{Key: f, Value: 1})
		}
		return findAll[idDoc](ctx, s.c(col), filter, options.Find().SetProjection(proj))
	}
	collect := func(dst *[]string, col string, filter bson.D) error {
		docs, err := ids(col, filter)
		for _, d := range docs {
			*dst = append(*dst, d.ID)
		}
		return err
	}
	steps := []struct {
		dst    *[]string
		col    string
		filter bson.D
	}{
		{&k.attachmentIDs, colAttachments, byParticipant(participantID)},
		{&k.notificationID, colNotifications, aboutParticipant(k)},
		{&k.deviceIDs, colDevices, eq("userId", participantID)},
		{&k.codeIDs, colActivationCodes, eq("userId", participantID)},
		{&k.celebrationIDs, colCelebrations, byParticipant(participantID)},
	}
	for _, st := range steps {
		if err := collect(st.dst, st.col, st.filter); err != nil {
			return k, err
		}
	}
	tokens, err := ids(colRefreshTokens, eq("userId", participantID), "familyId")
	if err != nil {
		return k, err
	}
	for _, t := range tokens {
		k.tokenIDs = append(k.tokenIDs, t.ID)
		k.familyIDs = append(k.familyIDs, t.FamilyID)
	}
	return k, nil
}

// anonymiseTickets keeps, as an anonymous cancelled ticket, each of the
// participant's enrolments that took a number in a queue: a queue's next
// number is how many tickets it has handed out plus one, so deleting one
// would make every later sign-up to that queue clash. What stays is the
// activity, the session, the ticket and the state; nothing names the
// participant or says anything about them. A ticket still queued is
// cancelled by this (whoever is behind moves up without being told:
// withdrawing should have cancelled it through activity first).
func anonymiseTickets(ctx context.Context, s *Store, k erasureKeys) error {
	tickets, err := findAll[models.Enrollment](ctx, s.c(colEnrollments), bson.D{
		{Key: "participantId", Value: k.participantID},
		{Key: "queueNo", Value: bson.D{{Key: "$gt", Value: 0}}},
	})
	if err != nil {
		return err
	}
	for _, e := range tickets {
		anon := bson.D{
			{Key: "_id", Value: e.ID}, {Key: "activityId", Value: e.ActivityID}, {Key: "sessionId", Value: e.SessionID},
			{Key: "participantId", Value: ""}, {Key: "state", Value: models.EnrollCancelled},
			{Key: "slotKey", Value: "closed/" + e.ID}, {Key: "queueNo", Value: e.QueueNo}, {Key: "ticket", Value: e.Ticket},
			{Key: "createdAt", Value: e.CreatedAt},
		}
		if _, err := s.c(colEnrollments).ReplaceOne(ctx, byID(e.ID), anon); err != nil {
			return fmt.Errorf("anonymise ticket: %w", err)
		}
	}
	return nil
}
