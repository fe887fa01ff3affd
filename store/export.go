package store

import (
	"context"
	"errors"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// ParticipantData gathers everything held about one participant, from the
// collections of the registry marked exported, for an access or
// portability request. It only reads. A staff account or an unknown ID is
// NotFound "participant.not_found".
func (s *Store) ParticipantData(ctx context.Context, participantID string) (models.DataExport, error) {
	x := models.DataExport{Format: models.DataExportFormat, GeneratedAt: s.now().UTC()}
	u, err := s.User(ctx, participantID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && u.Role != models.RoleParticipant) {
		return x, apperr.New(apperr.NotFound, "participant.not_found", "No such participant.")
	}
	if err != nil {
		return x, err
	}
	x.Profile = u
	mine := byParticipant(participantID)
	oldest := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})
	steps := []func() error{
		func() (err error) {
			x.CounselorHistory, err = listOf[models.CounselorAssignment](ctx, s.c(colAssignments), mine, oldest)
			return
		},
		func() (err error) {
			x.Attendance, err = listOf[models.Attendance](ctx, s.c(colAttendance), mine, oldest)
			return
		},
		func() (err error) {
			x.Consents, err = listOf[models.ConsentRecord](ctx, s.c(colConsents), mine, oldest)
			return
		},
		func() (err error) {
			x.FollowUps, err = listOf[models.FollowUp](ctx, s.c(colFollowUps), mine, oldest)
			return
		},
		func() (err error) {
			x.CheckInAnswers, err = listOf[models.CheckInAnswer](ctx, s.c(colCheckInAnswers), mine, oldest)
			return
		},
		func() error { return s.exportAccessLog(ctx, &x, mine) },
		func() error { return s.exportEnrollments(ctx, &x) },
		func() error { return s.exportConversation(ctx, &x) },
		func() error { return s.exportWork(ctx, &x) },
		func() error { return s.exportPlan(ctx, &x) },
		func() error { return s.exportNotifications(ctx, &x) },
		func() error { return s.exportCelebrations(ctx, &x) },
		func() error {
			var err error
			x.CalendarFeed, err = optional[models.CalendarFeed](ctx, s, colCalendarFeeds, participantID)
			return err
		},
		func() error {
			var err error
			x.Withdrawal, err = optional[models.Withdrawal](ctx, s, colWithdrawals, participantID)
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return models.DataExport{}, err
		}
	}
	return x, nil
}

// optional returns the document with _id id, or nil when there is none.
func optional[T any](ctx context.Context, s *Store, col, id string) (*T, error) {
	var v T
	err := s.c(col).FindOne(ctx, byID(id)).Decode(&v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func (s *Store) exportEnrollments(ctx context.Context, x *models.DataExport) error {
	list, err := findAll[models.Enrollment](ctx, s.c(colEnrollments), byParticipant(x.Profile.ID),
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return err
	}
	var activityIDs []string
	for _, e := range list {
		if !slices.Contains(activityIDs, e.ActivityID) {
			activityIDs = append(activityIDs, e.ActivityID)
		}
	}
	activities, err := s.ActivitiesByID(ctx, activityIDs)
	if err != nil {
		return err
	}
	var sessions []models.Session
	if len(activityIDs) > 0 {
		sessions, err = findAll[models.Session](ctx, s.c(colSessions), in("activityId", activityIDs),
			options.Find().SetSort(bson.D{{Key: "startsAt", Value: 1}}))
		if err != nil {
			return err
		}
	}
	x.Enrollments = make([]models.ExportEnrollment, 0, len(list))
	for _, e := range list {
		a := activities[e.ActivityID]
		xe := models.ExportEnrollment{Enrollment: e, ActivityTitle: a.Title, Location: a.Location, Sessions: []models.ExportSession{}}
		for _, ss := range sessions {
			if ss.ActivityID == e.ActivityID && (e.SessionID == "" || e.SessionID == ss.ID) {
				xe.Sessions = append(xe.Sessions, models.ExportSession{ID: ss.ID, StartsAt: ss.StartsAt, EndsAt: ss.EndsAt, State: ss.State})
			}
		}
		x.Enrollments = append(x.Enrollments, xe)
	}
	return nil
}

func (s *Store) exportConversation(ctx context.Context, x *models.DataExport) error {
	mine := byParticipant(x.Profile.ID)
	msgs, err := findAll[models.Message](ctx, s.c(colMessages), mine, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return err
	}
	atts, err := findAll[models.Attachment](ctx, s.c(colAttachments), mine, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return err
	}
	var staffIDs []string
	for _, m := range msgs {
		if m.SenderID != x.Profile.ID {
			staffIDs = append(staffIDs, m.SenderID)
		}
	}
	name, err := s.userNames(ctx, staffIDs)
	if err != nil {
		return err
	}
	c := models.ExportConversation{Messages: []models.ExportMessage{}, Callbacks: []models.ExportCallback{}, Attachments: []models.ExportAttachment{}}
	for _, m := range msgs {
		c.Messages = append(c.Messages, models.ExportMessage{
			ID: m.ID, Kind: m.Kind, SenderRole: m.SenderRole, SenderName: name[m.SenderID], Text: m.Text,
			AttachmentIDs: m.AttachmentIDs, Callback: m.CallbackReason, CreatedAt: m.CreatedAt,
		})
		if m.Kind == models.MessageCallback {
			c.Callbacks = append(c.Callbacks, models.ExportCallback{MessageID: m.ID, Reason: m.CallbackReason, Note: m.Text, At: m.CreatedAt})
		}
	}
	for _, a := range atts {
		by := models.RoleParticipant
		if a.UploaderID != x.Profile.ID {
			by = models.RoleCounselor
		}
		c.Attachments = append(c.Attachments, models.ExportAttachment{
			ID: a.ID, ContentType: a.ContentType, Size: a.Size, MessageID: a.MessageID, UploadedBy: by, CreatedAt: a.CreatedAt,
		})
	}
	x.Conversation = c
	return nil
}

func (s *Store) exportWork(ctx context.Context, x *models.DataExport) error {
	id := x.Profile.ID
	mine := byParticipant(id)
	oldest := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})
	jobs, err := findAll[models.Employment](ctx, s.c(colEmployments), mine, oldest)
	if err != nil {
		return err
	}
	ends, err := findAll[models.EmploymentEnd](ctx, s.c(colEmploymentEnds), mine)
	if err != nil {
		return err
	}
	x.Employments = make([]models.ExportEmployment, 0, len(jobs))
	for _, e := range models.WithEnds(jobs, ends) {
		x.Employments = append(x.Employments, models.ExportEmployment{Employment: e, WeeklyMinutes: e.WeeklyMinutes})
	}
	notes, err := findAll[models.FollowUpNote](ctx, s.c(colFollowUpNotes), mine, oldest)
	if err != nil {
		return err
	}
	x.FollowUpNotes = make([]models.ExportFollowUpNote, 0, len(notes))
	for _, n := range notes {
		x.FollowUpNotes = append(x.FollowUpNotes, models.ExportFollowUpNote{FollowUpNote: n, FollowUpID: n.FollowUpID})
	}
	hours, err := findAll[models.HoursEntry](ctx, s.c(colHours), mine, options.Find().SetSort(bson.D{{Key: "date", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return err
	}
	x.Hours = make([]models.ExportHours, 0, len(hours))
	for _, h := range hours {
		x.Hours = append(x.Hours, models.ExportHours{HoursEntry: h, Minutes: h.Minutes})
	}
	slips, err := findAll[models.Payslip](ctx, s.c(colPayslips), mine, options.Find().SetSort(bson.D{{Key: "month", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return err
	}
	x.Payslips = make([]models.ExportPayslip, 0, len(slips))
	for _, p := range slips {
		x.Payslips = append(x.Payslips, models.ExportPayslip{Payslip: p, Minutes: p.Minutes})
	}
	prof, ok, err := s.PensionProfile(ctx, id)
	if err != nil || !ok {
		return err
	}
	x.PensionProfile = &models.ExportPension{PensionProfile: prof, PlannedWeeklyMinutes: prof.PlannedWeeklyMinutes}
	return nil
}

func (s *Store) exportPlan(ctx context.Context, x *models.DataExport) error {
	mine := byParticipant(x.Profile.ID)
	oldest := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})
	revs, err := findAll[models.Goal](ctx, s.c(colPlanGoals), mine, options.Find().SetSort(bson.D{{Key: "position", Value: 1}, {Key: "version", Value: 1}}))
	if err != nil {
		return err
	}
	notes, err := findAll[models.GoalNote](ctx, s.c(colPlanNotes), mine, oldest)
	if err != nil {
		return err
	}
	ticks, err := findAll[models.SubGoalTick](ctx, s.c(colPlanTicks), mine, oldest)
	if err != nil {
		return err
	}
	latest := map[string]models.Goal{}
	var order []string
	for _, g := range revs {
		if _, ok := latest[g.ID]; !ok {
			order = append(order, g.ID)
		}
		if g.Version >= latest[g.ID].Version {
			latest[g.ID] = g
		}
	}
	p := models.ExportPlan{Goals: []models.Goal{}, Ticks: make([]models.ExportTick, 0, len(ticks))}
	for _, id := range order {
		g := latest[id]
		if g.Deleted {
			continue
		}
		g.Notes = []models.GoalNote{}
		for _, n := range notes {
			if n.GoalID == id {
				g.Notes = append(g.Notes, n)
			}
		}
		p.Goals = append(p.Goals, g)
	}
	for _, t := range ticks {
		p.Ticks = append(p.Ticks, models.ExportTick{GoalID: t.GoalID, SubGoalID: t.SubGoalID, Done: t.Done, ByRole: t.ByRole, At: t.At})
	}
	x.Plan = p
	return nil
}

func (s *Store) exportNotifications(ctx context.Context, x *models.DataExport) error {
	id := x.Profile.ID
	list, err := findAll[models.Notification](ctx, s.c(colNotifications), eq("recipientId", id),
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return err
	}
	x.Notifications = make([]models.ExportNotification, 0, len(list))
	for _, n := range list {
		x.Notifications = append(x.Notifications, models.ExportNotification{
			ID: n.ID, Category: n.Category, Type: n.Template, Params: n.Params, State: n.State,
			DueAt: n.DueAt, SentAt: n.SentAt, ReadAt: n.ReadAt, CreatedAt: n.CreatedAt,
		})
	}
	devices, err := s.DevicesOf(ctx, id)
	if err != nil {
		return err
	}
	x.Devices = make([]models.ExportDevice, 0, len(devices))
	for _, d := range devices {
		x.Devices = append(x.Devices, models.ExportDevice{Platform: d.Platform, CreatedAt: d.CreatedAt, RefreshedAt: d.RefreshedAt})
	}
	prefs, ok, err := s.NotificationPrefs(ctx, id)
	if err != nil {
		return err
	}
	if ok {
		x.NotificationPrefs = &prefs
	}
	return nil
}

func (s *Store) exportCelebrations(ctx context.Context, x *models.DataExport) error {
	list, err := findAll[models.Celebration](ctx, s.c(colCelebrations), byParticipant(x.Profile.ID),
		options.Find().SetSort(bson.D{{Key: "startsAt", Value: 1}}))
	if err != nil {
		return err
	}
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	activities, err := s.ActivitiesByID(ctx, ids)
	if err != nil {
		return err
	}
	var rsvps []models.RSVP
	if len(ids) > 0 {
		rsvps, err = findAll[models.RSVP](ctx, s.c(colRSVPs), in("celebrationId", ids), options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return err
		}
	}
	x.Celebrations = make([]models.ExportCelebration, 0, len(list))
	for _, c := range list {
		a := activities[c.ID]
		xc := models.ExportCelebration{Celebration: c, Title: a.Title, Description: a.Description, Location: a.Location, State: a.State, RSVPs: []models.RSVP{}}
		for _, r := range rsvps {
			if r.CelebrationID == c.ID {
				xc.RSVPs = append(xc.RSVPs, r)
			}
		}
		x.Celebrations = append(x.Celebrations, xc)
	}
	return nil
}

// listOf is findAll for a section of the export: an empty list, never
// null, when there is nothing.
func listOf[T any](ctx context.Context, c *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	out, err := findAll[T](ctx, c, filter, opts...)
	if out == nil && err == nil {
		out = []T{}
	}
	return out, err
}

// exportAccessLog adds the access log with the staff members' names.
func (s *Store) exportAccessLog(ctx context.Context, x *models.DataExport, mine bson.D) error {
	entries, err := findAll[models.AccessEntry](ctx, s.c(colAccessLog), mine, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return err
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ActorID
	}
	names, err := s.userNames(ctx, ids)
	if err != nil {
		return err
	}
	x.AccessLog = make([]models.ExportAccess, len(entries))
	for i, e := range entries {
		x.AccessLog[i] = models.ExportAccess{At: e.At, ActorName: names[e.ActorID], ActorRole: e.ActorRole, Action: e.Action, Kind: e.Kind}
	}
	return nil
}

// userNames maps the users among ids (repeats allowed) to their names.
func (s *Store) userNames(ctx context.Context, ids []string) (map[string]string, error) {
	users, err := s.UsersByID(ctx, slices.Compact(slices.Sorted(slices.Values(ids))))
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Name
	}
	return names, nil
}
