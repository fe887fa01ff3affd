package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// InsertUser stores a new account, and a participant's (empty)
// conversation summary, which puts them in their counselor's inbox.
func (s *Store) InsertUser(ctx context.Context, u models.User) error {
	if err := insertNew(ctx, s.c(colUsers), u); err != nil {
		return err
	}
	if u.Role != models.RoleParticipant {
		return nil
	}
	return s.InsertConversation(ctx, conversationFor(u))
}

// User returns the account with id, or a NotFound error.
func (s *Store) User(ctx context.Context, id string) (models.User, error) {
	var u models.User
	err := findOne(ctx, s.c(colUsers), byID(id), &u, "user.not_found", "No such account.")
	return u, err
}

// loginDoc claims a login identifier for one account. Its _id is the
// normalised login, so the unique _id index settles two people racing for
// the same identifier on either engine.
type loginDoc struct {
	Login  string `bson:"_id"`
	UserID string `bson:"userId"`
}

// UserByLogin returns the account that owns login, or a NotFound error.
func (s *Store) UserByLogin(ctx context.Context, login string) (models.User, error) {
	var l loginDoc
	if err := findOne(ctx, s.c(colLogins), byID(login), &l, "user.not_found", "No such account."); err != nil {
		return models.User{}, err
	}
	return s.User(ctx, l.UserID)
}

// ClaimLogin reserves login for userID. Claiming a login the account already
// owns succeeds; one owned by another account is a Conflict.
func (s *Store) ClaimLogin(ctx context.Context, login, userID string) error {
	err := insert(ctx, s.c(colLogins), loginDoc{Login: login, UserID: userID}, "login.taken", "This login is already in use.")
	if !apperr.Is(err, apperr.Conflict) {
		return err
	}
	var l loginDoc
	if ferr := findOne(ctx, s.c(colLogins), byID(login), &l, "login.taken", "This login is already in use."); ferr != nil {
		return ferr
	}
	if l.UserID == userID {
		return nil
	}
	return err
}

// ReleaseLogin frees login if userID owns it.
func (s *Store) ReleaseLogin(ctx context.Context, login, userID string) error {
	_, err := s.c(colLogins).DeleteOne(ctx, bson.D{{Key: "_id", Value: login}, {Key: "userId", Value: userID}})
	if err != nil {
		return fmt.Errorf("release login: %w", err)
	}
	return nil
}

// SetCredentials records the login and password hash chosen at activation
// and marks the account active. The login must already be claimed.
func (s *Store) SetCredentials(ctx context.Context, userID, login, passwordHash string, at time.Time) error {
	update := bson.D{
		{Key: "$set", Value: bson.D{
			{Key: "login", Value: login},
			{Key: "passwordHash", Value: passwordHash},
			{Key: "status", Value: models.StatusActive},
		}},
		{Key: "$min", Value: bson.D{{Key: "activatedAt", Value: at}}},
	}
	return s.updateUser(ctx, userID, update)
}

// SetPasswordHash replaces the stored hash (after a parameter upgrade).
func (s *Store) SetPasswordHash(ctx context.Context, userID, passwordHash string) error {
	return s.updateUser(ctx, userID, bson.D{{Key: "$set", Value: bson.D{{Key: "passwordHash", Value: passwordHash}}}})
}

// SetCounselor assigns a participant to a counselor, and moves their
// conversation to the new counselor's inbox. The conversation's summary
// moves first: it decides who may read the conversation, so a failure
// between the two writes never leaves the former counselor reading on.
func (s *Store) SetCounselor(ctx context.Context, participantID, counselorID string) error {
	unlock := s.docs.lock(colConversations, participantID)
	_, err := s.c(colConversations).UpdateOne(ctx, byID(participantID),
		bson.D{{Key: "$set", Value: bson.D{{Key: "counselorId", Value: counselorID}}}})
	unlock()
	if err != nil {
		return fmt.Errorf("move conversation: %w", err)
	}
	return s.updateUser(ctx, participantID, bson.D{{Key: "$set", Value: bson.D{{Key: "counselorId", Value: counselorID}}}})
}

// SetServedDepartments sets the further departments a coordinator serves.
func (s *Store) SetServedDepartments(ctx context.Context, userID string, deptIDs []string) error {
	return s.updateUser(ctx, userID, bson.D{{Key: "$set", Value: bson.D{{Key: "servesDepartmentIds", Value: deptIDs}}}})
}

func (s *Store) updateUser(ctx context.Context, id string, update bson.D) error {
	res, err := s.c(colUsers).UpdateOne(ctx, byID(id), update)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	if res.MatchedCount == 0 {
		return apperr.New(apperr.NotFound, "user.not_found", "No such account.")
	}
	return nil
}

// Users lists accounts matching f, one page at a time.
func (s *Store) Users(ctx context.Context, f models.UserFilter, p models.Page) ([]models.User, string, error) {
	filter := bson.D{}
	if len(f.Roles) > 0 {
		filter = append(filter, bson.E{Key: "role", Value: bson.D{{Key: "$in", Value: f.Roles}}})
	}
	if f.DepartmentID != "" {
		filter = append(filter, bson.E{Key: "departmentId", Value: f.DepartmentID})
	}
	if f.CounselorID != "" {
		filter = append(filter, bson.E{Key: "counselorId", Value: f.CounselorID})
	}
	return page(ctx, s.c(colUsers), filter, p, func(u models.User) string { return u.ID })
}

// Assignments lists a participant's counselor assignments, oldest first.
func (s *Store) Assignments(ctx context.Context, participantID string, p models.Page) ([]models.CounselorAssignment, string, error) {
	return page(ctx, s.c(colAssignments), bson.D{{Key: "participantId", Value: participantID}}, p,
		func(a models.CounselorAssignment) string { return a.ID })
}

// InsertAssignment records a counselor assignment in the participant's history.
func (s *Store) InsertAssignment(ctx context.Context, a models.CounselorAssignment) error {
	return insertNew(ctx, s.c(colAssignments), a)
}
