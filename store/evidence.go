package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// InEvidenceTx is InTx for the evidence and message use cases: it is a
// workflow.EvidenceTxRunner.
func (db *DB) InEvidenceTx(ctx context.Context, fn func(workflow.EvidenceTx) error) error {
	return db.InTx(ctx, func(tx *Tx) error { return fn(tx) })
}

// AddEvidence records a file attached to a claim and sets e.ID. The blob
// itself is already in the blob store; the caller adds the claim's event in
// the same transaction.
func (tx *Tx) AddEvidence(ctx context.Context, e *aftersale.Evidence) error {
	at := e.UploadedAt
	if at.IsZero() {
		at = tx.db.now()
	}
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO claim_evidence (claim_id, kind, content_type, size, sha256,
		blob_key, original_name, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		e.ClaimID, string(e.Kind), e.ContentType, e.Size, e.SHA256, e.BlobKey, e.Name, e.UploadedBy,
		timeArg(at)).Scan(&e.ID)
	if err != nil {
		switch classify(err) {
		case foreignKeyViolation:
			return userError(aftersale.Invalid, "claim", err, "evidence names a claim that does not exist (claim id %d)", e.ClaimID)
		case uniqueViolation:
			return userError(aftersale.Conflict, "blob_key", err, "blob %s already belongs to other evidence", e.BlobKey)
		case checkViolation, notNullViolation:
			return userError(aftersale.Invalid, "evidence", err, "evidence %q: kind must be photo, video or document, size not negative, sha256 64 hex digits", e.Name)
		}
		return fmt.Errorf("add evidence to claim %d: %w", e.ClaimID, err)
	}
	e.UploadedAt = at
	return nil
}

const evidenceSelect = `SELECT id, claim_id, kind, content_type, size, sha256, blob_key, original_name,
	uploaded_by, uploaded_at FROM claim_evidence`

func scanEvidence(sc scanner) (aftersale.Evidence, error) {
	var e aftersale.Evidence
	err := sc.Scan(&e.ID, &e.ClaimID, &e.Kind, &e.ContentType, &e.Size, &e.SHA256, &e.BlobKey, &e.Name,
		&e.UploadedBy, timeDest{&e.UploadedAt})
	return e, err
}

// EvidenceOf lists a claim's evidence, oldest first.
func (db *DB) EvidenceOf(ctx context.Context, claimID int64) ([]aftersale.Evidence, error) {
	rows, err := db.reads.QueryContext(ctx, evidenceSelect+` WHERE claim_id = $1 ORDER BY id`, claimID)
	if err != nil {
		return nil, fmt.Errorf("evidence of claim %d: %w", claimID, err)
	}
	defer rows.Close()
	out := []aftersale.Evidence{}
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("evidence of claim %d: %w", claimID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("evidence of claim %d: %w", claimID, err)
	}
	return out, nil
}

// EvidenceByID returns one piece of a claim's evidence; evidence of another
// claim is NotFound, as if it did not exist.
func (db *DB) EvidenceByID(ctx context.Context, claimID, id int64) (aftersale.Evidence, error) {
	e, err := scanEvidence(db.reads.QueryRowContext(ctx, evidenceSelect+` WHERE claim_id = $1 AND id = $2`, claimID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, userError(aftersale.NotFound, "id", err, "evidence %d is not on file for this claim", id)
	}
	if err != nil {
		return e, fmt.Errorf("evidence %d of claim %d: %w", id, claimID, err)
	}
	return e, nil
}

// HasPictures reports whether a photo or a video is on file for the claim.
func (tx *Tx) HasPictures(ctx context.Context, claimID int64) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM claim_evidence WHERE claim_id = $1 AND kind IN ('photo', 'video')`,
		claimID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("pictures of claim %d: %w", claimID, err)
	}
	return n > 0, nil
}
