package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// indexes lists every index by collection. Only kinds both engines enforce:
// plain, compound and unique (on fields that are always set); no TTL or
// partial indexes — expiry is a periodic deleteMany (Sweep).
var indexes = map[string][]mongo.IndexModel{
	colWithdrawals: {
		{Keys: bson.D{{Key: "eraseAfter", Value: 1}}},
	},
	colAccessLog: {
		{Keys: bson.D{{Key: "participantId", Value: 1}}},
		{Keys: bson.D{{Key: "actorId", Value: 1}}},
	},
	colUsers: {
		{Keys: bson.D{{Key: "role", Value: 1}, {Key: "departmentId", Value: 1}}},
		{Keys: bson.D{{Key: "counselorId", Value: 1}}},
	},
	colLogins: {
		{Keys: bson.D{{Key: "userId", Value: 1}}},
	},
	colDepartments: {
		{Keys: bson.D{{Key: "nameKey", Value: 1}}, Options: options.Index().SetUnique(true).SetName("nameKey_unique")},
	},
	colAssignments: {
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "assignedAt", Value: 1}}},
	},
	colActivationCodes: {
		{Keys: bson.D{{Key: "codeHash", Value: 1}}, Options: options.Index().SetUnique(true).SetName("codeHash_unique")},
		{Keys: bson.D{{Key: "userId", Value: 1}}},
		{Keys: bson.D{{Key: "expiresAt", Value: 1}}},
	},
	colRefreshTokens: {
		{Keys: bson.D{{Key: "familyId", Value: 1}}},
		{Keys: bson.D{{Key: "userId", Value: 1}}},
		{Keys: bson.D{{Key: "expiresAt", Value: 1}}},
	},
	colAuthFailures: {
		{Keys: bson.D{{Key: "key", Value: 1}, {Key: "at", Value: 1}}},
	},
	colIdempotency: {
		{Keys: bson.D{{Key: "expiresAt", Value: 1}}},
	},
	colActivities: {
		{Keys: bson.D{{Key: "departmentId", Value: 1}, {Key: "firstStartsAt", Value: 1}}},
		{Keys: bson.D{{Key: "kind", Value: 1}}},
	},
	colSessions: {
		{Keys: bson.D{{Key: "activityId", Value: 1}, {Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}},
		// The scheduled sessions in a time window (reminders, calendars).
		{Keys: bson.D{{Key: "state", Value: 1}, {Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}},
	},
	colEnrollments: {
		{Keys: bson.D{{Key: "slotKey", Value: 1}}, Options: options.Index().SetUnique(true).SetName("slotKey_unique")},
		{Keys: bson.D{{Key: "ticket", Value: 1}}, Options: options.Index().SetUnique(true).SetName("ticket_unique")},
		{Keys: bson.D{{Key: "activityId", Value: 1}, {Key: "sessionId", Value: 1}, {Key: "state", Value: 1}, {Key: "queueNo", Value: 1}}},
		{Keys: bson.D{{Key: "participantId", Value: 1}}},
		// A caseload's sign-ups waiting for approval, paged by ID.
		{Keys: bson.D{{Key: "state", Value: 1}, {Key: "participantId", Value: 1}, {Key: "_id", Value: 1}}},
	},
	colAttendance: {
		{Keys: bson.D{{Key: "activityId", Value: 1}}},
		{Keys: bson.D{{Key: "enrollmentId", Value: 1}}},
	},
	colCalendarFeeds: {
		{Keys: bson.D{{Key: "tokenHash", Value: 1}}, Options: options.Index().SetUnique(true).SetName("tokenHash_unique")},
	},
	colOutbox: {
		{Keys: bson.D{{Key: "dedupeKey", Value: 1}}, Options: options.Index().SetUnique(true).SetName("dedupeKey_unique")},
		{Keys: bson.D{{Key: "state", Value: 1}, {Key: "dueAt", Value: 1}}},
	},
	colMessages: {
		{Keys: bson.D{{Key: "dedupeKey", Value: 1}}, Options: options.Index().SetUnique(true).SetName("dedupeKey_unique")},
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "_id", Value: 1}}},
	},
	// A counselor's inbox (and those they stand in for), in InboxKey order.
	colConversations: {
		{Keys: bson.D{{Key: "counselorId", Value: 1}, {Key: "inboxKey", Value: 1}, {Key: "_id", Value: 1}}},
	},
	colReadMarks: {
		{Keys: bson.D{{Key: "participantId", Value: 1}}},
	},
	colAttachments: {
		{Keys: bson.D{{Key: "participantId", Value: 1}}},
		{Keys: bson.D{{Key: "createdAt", Value: 1}}},
	},
	// GridFS's own indexes, as the driver creates them on the first upload;
	// declared so that every read of an attachment is checked against them.
	attachmentsFS + ".files": {
		{Keys: bson.D{{Key: "filename", Value: 1}, {Key: "uploadDate", Value: 1}}},
	},
	attachmentsFS + ".chunks": {
		{Keys: bson.D{{Key: "files_id", Value: 1}, {Key: "n", Value: 1}}, Options: options.Index().SetUnique(true).SetName("files_id_1_n_1")},
	},
	colSavedReplies: {
		{Keys: bson.D{{Key: "counselorId", Value: 1}}},
	},
	colNotifications: {
		{Keys: bson.D{{Key: "dedupeKey", Value: 1}}, Options: options.Index().SetUnique(true).SetName("dedupeKey_unique")},
		{Keys: bson.D{{Key: "state", Value: 1}, {Key: "nextPushAt", Value: 1}}},
		{Keys: bson.D{{Key: "recipientId", Value: 1}, {Key: "_id", Value: -1}}},
		{Keys: bson.D{{Key: "state", Value: 1}, {Key: "dueAt", Value: 1}}}, // the handled ones past retention
	},
	colDevices: {
		{Keys: bson.D{{Key: "userId", Value: 1}}},
		{Keys: bson.D{{Key: "sessionId", Value: 1}}},
		{Keys: bson.D{{Key: "refreshedAt", Value: 1}}},
	},
	colDeliveries: {
		{Keys: bson.D{{Key: "notificationId", Value: 1}}},
		{Keys: bson.D{{Key: "at", Value: 1}}}, // the old ones past retention
	},
	colEmployments: {
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "startDate", Value: -1}, {Key: "_id", Value: -1}}},
		{Keys: bson.D{{Key: "type", Value: 1}, {Key: "startDate", Value: 1}}},
	},
	colConsents: {
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "purpose", Value: 1}}},
		{Keys: bson.D{{Key: "purpose", Value: 1}}},
	},
	colFollowUps: {
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "date", Value: 1}, {Key: "_id", Value: 1}}},
		{Keys: bson.D{{Key: "employmentId", Value: 1}}},
		{Keys: bson.D{{Key: "date", Value: 1}}}, // the follow-ups the reminders job looks at
	},
	colFollowUpNotes: {
		{Keys: bson.D{{Key: "participantId", Value: 1}}},
	},
	colEmploymentEnds: {
		{Keys: bson.D{{Key: "participantId", Value: 1}}},
	},
	colHours: {
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "date", Value: 1}, {Key: "_id", Value: 1}}},
	},
	colPayslips: {
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "month", Value: 1}, {Key: "_id", Value: 1}}},
	},
	colPensionRuleVersions: {
		{Keys: bson.D{{Key: "year", Value: 1}, {Key: "scheme", Value: 1}, {Key: "version", Value: 1}}, Options: options.Index().SetUnique(true).SetName("year_scheme_version_unique")},
	},
	// The plan. Two goals created at once cannot take the same position:
	// both insert version 1 at it. Revisions of one goal differ in version,
	// and a deleted goal keeps its last revision, so positions are not reused.
	colPlanGoals: {
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "position", Value: 1}, {Key: "version", Value: 1}},
			Options: options.Index().SetUnique(true).SetName("participant_position_version_unique")},
		{Keys: bson.D{{Key: "goalId", Value: 1}, {Key: "version", Value: 1}}},
	},
	// A plan's ticks and notes in time order, all of them or one goal's.
	colPlanTicks: {
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "at", Value: 1}, {Key: "_id", Value: 1}}},
		{Keys: bson.D{{Key: "goalId", Value: 1}, {Key: "at", Value: 1}, {Key: "_id", Value: 1}}},
	},
	colPlanNotes: {
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}},
		{Keys: bson.D{{Key: "goalId", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}},
	},
	// Availability: a counselor's latest absence, their absences not yet
	// ended, and the absences a stand-in covers. Office hours are read by _id.
	colAbsences: {
		{Keys: bson.D{{Key: "counselorId", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}},
		{Keys: bson.D{{Key: "counselorId", Value: 1}, {Key: "until", Value: 1}}},
		{Keys: bson.D{{Key: "standInId", Value: 1}, {Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}},
	},
	// Check-ins: a sender's unfinished check-in (resumed on retry), who was
	// asked by department (the tally), answer versions by participant (the
	// _id "checkIn/participant/version" makes each version unique).
	colCheckIns: {
		{Keys: bson.D{{Key: "senderId", Value: 1}, {Key: "createdAt", Value: -1}}},
	},
	colCheckInRecipients: {
		{Keys: bson.D{{Key: "checkInId", Value: 1}, {Key: "departmentId", Value: 1}}},
		{Keys: bson.D{{Key: "checkInId", Value: 1}, {Key: "participantId", Value: 1}}},
	},
	colCheckInAnswers: {
		{Keys: bson.D{{Key: "checkInId", Value: 1}, {Key: "participantId", Value: 1}, {Key: "version", Value: -1}}},
		{Keys: bson.D{{Key: "checkInId", Value: 1}, {Key: "departmentId", Value: 1}}},
	},
	// Celebrations: one per milestone (slotKey, always set), upcoming by
	// department or participant; answers by celebration.
	colCelebrations: {
		{Keys: bson.D{{Key: "slotKey", Value: 1}}, Options: options.Index().SetUnique(true).SetName("slotKey_unique")},
		{Keys: bson.D{{Key: "departmentId", Value: 1}, {Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}},
		{Keys: bson.D{{Key: "participantId", Value: 1}, {Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}},
		{Keys: bson.D{{Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}}, // every department's
	},
	colRSVPs: {
		{Keys: bson.D{{Key: "celebrationId", Value: 1}}},
	},
	// Scheduled jobs: the claims on a job's runs, by period.
	colJobRuns: {
		{Keys: bson.D{{Key: "job", Value: 1}, {Key: "period", Value: 1}}},
	},
}

// EnsureIndexes creates every index the store relies on. It is idempotent:
// serve runs it at startup and `api migrate` runs it on its own. Indexes are
// created one at a time: the embedded engine crashes on a createIndexes
// command with several indexes of which some already exist.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	for name, models := range indexes {
		for _, m := range models {
			if _, err := s.c(name).Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("create index on %s: %w", name, err)
			}
		}
	}
	return nil
}

// Index describes one declared index: its key fields in order and whether
// it is unique.
type Index struct {
	Keys   []string
	Unique bool
}

// DeclaredIndexes returns every collection's declared indexes; the unique
// index on _id that every collection has (IDIndex) is not listed. The
// query-shape tests check each command a request sends against them.
func DeclaredIndexes() map[string][]Index {
	out := make(map[string][]Index, len(indexes))
	for name, models := range indexes {
		for _, m := range models {
			var ix Index
			for _, k := range m.Keys.(bson.D) {
				ix.Keys = append(ix.Keys, k.Key)
			}
			if m.Options != nil {
				var o options.IndexOptions
				for _, set := range m.Options.List() {
					_ = set(&o)
				}
				ix.Unique = o.Unique != nil && *o.Unique
			}
			out[name] = append(out[name], ix)
		}
	}
	return out
}

// IDIndex is the index every collection has.
var IDIndex = Index{Keys: []string{"_id"}, Unique: true}
