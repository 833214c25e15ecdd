import Foundation
import GRDB
import MatchModel

extension ProgramStore {
    /// Makes a proposal's pairs a finalised cohort; they join the history used by `no_repeat_pairs`.
    @discardableResult
    public func finalize(cohort name: String, proposalID: Int64, by: String) throws -> Int {
        try write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cohort WHERE name = ?", arguments: [name]) ?? 0 > 0 {
                throw StoreError(path: path, message: "cohort '\(name)' is already finalised")
            }
            try db.execute(sql: "INSERT INTO cohort (name, proposalId, finalizedAt, finalizedBy) VALUES (?, ?, ?, ?)",
                           arguments: [name, proposalID, Self.now(), by])
            let id = db.lastInsertedRowID
            try db.execute(sql: """
                INSERT INTO cohortPair (cohortId, mentorId, menteeId)
                SELECT ?, mentorId, menteeId FROM proposalPair WHERE proposalId = ?
                """, arguments: [id, proposalID])
            return db.changesCount
        }
    }

    /// Pairs of every finalised cohort, as history.
    public func history() throws -> [PastPair] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT cohort.name AS name, mentorId, menteeId FROM cohortPair JOIN cohort ON cohort.id = cohortPair.cohortId
                ORDER BY cohort.id, mentorId, menteeId
                """).map { PastPair(mentorID: $0["mentorId"], menteeID: $0["menteeId"], cohort: $0["name"]) }
        }
    }

    /// Erasure on request: deletes every record naming `personID` (pairs,
    /// unmatched entries, decisions, cohort pairs), logs the erasure without
    /// the person's data, and compacts the file so no trace remains in it.
    /// - Returns: the number of rows deleted.
    @discardableResult
    public func forget(personID: String, by: String, reason: String) throws -> Int {
        let deleted: Int = try write { db in
            var n = 0
            for (table, columns) in [("proposalPair", ["mentorId", "menteeId"]), ("proposalUnmatched", ["menteeId"]),
                                     ("decision", ["mentorId", "menteeId"]), ("cohortPair", ["mentorId", "menteeId"])] {
                let condition = columns.map { "\($0) = ?" }.joined(separator: " OR ")
                try db.execute(sql: "DELETE FROM \(table) WHERE \(condition)", arguments: StatementArguments(columns.map { _ in personID }))
                n += db.changesCount
            }
            // Free text may name the person too (reasons, notes).
            try db.execute(sql: "DELETE FROM decision WHERE instr(reason, ?) > 0", arguments: [personID])
            n += db.changesCount
            try db.execute(sql: "UPDATE proposalUnmatched SET reasons = '[\"(erased)\"]' WHERE instr(reasons, ?) > 0", arguments: [personID])
            try db.execute(sql: "UPDATE proposal SET note = '' WHERE instr(note, ?) > 0", arguments: [personID])
            try db.execute(sql: "UPDATE proposal SET policy = replace(policy, ?, '(erased)') WHERE instr(policy, ?) > 0",
                           arguments: [personID, personID])
            try db.execute(sql: "INSERT INTO erasure (erasedAt, erasedBy, reason, rowsDeleted) VALUES (?, ?, ?, ?)",
                           arguments: [Self.now(), by, reason.replacingOccurrences(of: personID, with: "(erased)"), n])
            return n
        }
        // Compact: copy the live pages into a fresh file, and empty the WAL.
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw StoreError(path: path, message: Self.describe(error))
        }
        return deleted
    }

    /// The erasure log: when, by whom, why, how many rows (never whom).
    public func erasures() throws -> [(at: String, by: String, reason: String, rows: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM erasure ORDER BY id").map { ($0["erasedAt"], $0["erasedBy"], $0["reason"], $0["rowsDeleted"]) }
        }
    }
}
