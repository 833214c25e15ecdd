import Foundation
import GRDB
import MatchModel

extension ProgramStore {
    /// Makes a proposal's pairs a finalised cohort; they join the history used by `no_repeat_pairs`.
    @discardableResult
    public func finalize(cohort name: String, proposalID: Int64, by: String, cycle: String = "") throws -> Int {
        try write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cohort WHERE name = ?", arguments: [name]) ?? 0 > 0 {
                throw StoreError(path: path, message: "cohort '\(name)' is already finalised")
            }
            if let done = try String.fetchOne(db, sql: "SELECT name FROM cohort WHERE cycle = ?", arguments: [cycle]) {
                throw StoreError(path: path, message: "cycle '\(cycle)' is already finalised (as cohort '\(done)')")
            }
            try db.execute(
                sql: "INSERT INTO cohort (name, proposalId, finalizedAt, finalizedBy, cycle) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, proposalID, Self.now(), by, cycle])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: """
                    INSERT INTO cohortPair (cohortId, mentorId, menteeId)
                    SELECT ?, mentorId, menteeId FROM proposalPair WHERE proposalId = ?
                    """, arguments: [id, proposalID])
            return db.changesCount
        }
    }

    /// Pairs of every finalised cohort, as history.
    public func history() throws -> [PastPair] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT cohort.name AS name, mentorId, menteeId FROM cohortPair JOIN cohort ON cohort.id = cohortPair.cohortId
                    ORDER BY cohort.id, mentorId, menteeId
                    """
            ).map { PastPair(mentorID: $0["mentorId"], menteeID: $0["menteeId"], cohort: $0["name"]) }
        }
    }

    /// Erasure on request: deletes every record of `personID` (pairs, unmatched entries,
    /// decisions, cohort pairs), replaces the id — and `name`, when given — with "(erased)"
    /// wherever free text names them (other pairs' decision reasons, unmatched reasons, notes,
    /// the recorded policy), logs the erasure without the person's data, and compacts the
    /// file so no trace remains in it. Ids match whole: forgetting `E4` leaves `E40` alone.
    /// - Returns: the rows deleted or scrubbed (0: nothing in the store named the person) and the files
    ///   written earlier from proposals that named them.
    /// - Throws: ``StoreError`` for an empty id.
    @discardableResult
    public func forget(personID: String, name: String? = nil, by: String, reason: String) throws -> Erasure {
        let id = personID.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else { throw StoreError(path: path, message: "an empty id names nobody; give the person's id") }
        let needles = [id] + [name?.trimmingCharacters(in: .whitespaces)].compactMap { $0 }.filter { $0.count >= 2 && $0 != id }
        let erasure: Erasure = try write { db in
            let files = try Self.writtenFiles(naming: id, db)
            var n = 0
            for (table, columns) in [
                ("proposalPair", ["mentorId", "menteeId"]), ("proposalUnmatched", ["menteeId"]),
                ("decision", ["mentorId", "menteeId"]), ("cohortPair", ["mentorId", "menteeId"])
            ] {
                let condition = columns.map { "\($0) = ?" }.joined(separator: " OR ")
                try db.execute(sql: "DELETE FROM \(table) WHERE \(condition)", arguments: StatementArguments(columns.map { _ in id }))
                n += db.changesCount
            }
            // Free text may name the person too: scrub it, keeping the rest of each record.
            for (table, column) in [("decision", "reason"), ("proposalUnmatched", "reasons"), ("proposal", "note"), ("proposal", "policy")] {
                for needle in needles {
                    let rows = try Row.fetchAll(
                        db, sql: "SELECT rowid AS r, \(column) AS t FROM \(table) WHERE instr(\(column), ?) > 0",
                        arguments: [needle])
                    for row in rows {
                        let text: String = row["t"]
                        let scrubbed = Self.scrub(text, needle)
                        guard scrubbed != text else { continue }
                        try db.execute(sql: "UPDATE \(table) SET \(column) = ? WHERE rowid = ?", arguments: [scrubbed, row["r"] as Int64])
                        n += 1
                    }
                }
            }
            guard n > 0 else { return Erasure(rows: 0, writtenFiles: files) }
            let loggedReason = needles.reduce(reason) { Self.scrub($0, $1) }
            try db.execute(
                sql: "INSERT INTO erasure (erasedAt, erasedBy, reason, rowsDeleted) VALUES (?, ?, ?, ?)",
                arguments: [Self.now(), by, loggedReason, n])
            return Erasure(rows: n, writtenFiles: files)
        }
        guard erasure.rows > 0 else { return erasure }
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
        return erasure
    }

    /// `text` with every whole occurrence of `needle` replaced by "(erased)": an occurrence
    /// counts when the characters beside it are not letters, digits, `_` or `-` (so an id
    /// never matches inside a longer one).
    static func scrub(_ text: String, _ needle: String) -> String {
        guard !needle.isEmpty else { return text }
        func isWordCharacter(_ c: Character?) -> Bool {
            guard let c else { return false }
            return c.isLetter || c.isNumber || c == "_" || c == "-"
        }
        var out = ""
        var rest = text[...]
        while let r = rest.range(of: needle) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            out += rest[..<r.lowerBound]
            out += isWordCharacter(before) || isWordCharacter(after) ? String(rest[r]) : "(erased)"
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    /// The erasure log: when, by whom, why, how many rows (never whom).
    public func erasures() throws -> [(at: String, by: String, reason: String, rows: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM erasure ORDER BY id").map { ($0["erasedAt"], $0["erasedBy"], $0["reason"], $0["rowsDeleted"]) }
        }
    }
}
