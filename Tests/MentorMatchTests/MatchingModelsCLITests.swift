import Foundation
import GLPKEngine
import Optimization
import ProgramGenerator
import TestSupport
import Testing

@testable import MentorMatch

/// SPEC 9 through the command line: a generated program given tiers, a floor, a
/// criterion, external scores, stability, level access and a mentors_used stage.
@Suite(.serialized) struct MatchingModelsCLITests {
    /// A generated program with every SPEC 9 addition; returns its folder.
    static func program() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        try RosterGenerator(mentees: 40, mentors: 16, seed: 21).write(to: dir.path)
        // The roster gains the `mentors` column and a criterion column; scores for some pairs.
        let roster = try String(contentsOfFile: dir.file("roster.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        let interests = ["chess;ai", "ai", "running;chess", "", "music"]
        var lines = [roster[0] + ",mentors,interests"]
        var mentors: [String] = [], mentees: [String] = []
        for (i, line) in roster.dropFirst().enumerated() {
            let id = String(line.split(separator: ",")[0])
            if line.contains(",mentor,") || line.contains(",both,") { mentors.append(id) }
            if line.contains(",mentee,") || line.contains(",both,") { mentees.append(id) }
            lines.append(line + ",\(i % 3 == 0 ? "2" : ""),\(interests[i % interests.count])")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.file("roster.csv"), atomically: true, encoding: .utf8)
        var scores = "mentor_id,mentee_id,score\n"
        for (i, m) in mentors.enumerated() {
            for (j, e) in mentees.enumerated() where (i + j) % 4 == 0 { scores += "\(m),\(e),\(Double((i * j) % 10) / 10)\n" }
        }
        try scores.write(toFile: dir.file("scores.csv"), atomically: true, encoding: .utf8)
        // Mentors rank back the mentees who ranked them (the generator's preferences go one way), so
        // stability has pairs ranked both ways to hold.
        var preferences = try String(contentsOfFile: dir.file("preferences.csv"), encoding: .utf8)
        for (i, row) in preferences.split(separator: "\n").dropFirst().enumerated() {
            let cells = row.split(separator: ",")
            preferences += "\(cells[1]),\(cells[0]),\(1 + i % 3)\n"
        }
        try preferences.write(toFile: dir.file("preferences.csv"), atomically: true, encoding: .utf8)
        var yaml = try String(contentsOfFile: dir.file("program.yaml"), encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "objective: coverage_then_score", with: "objective: [coverage, mentors_used]")
        yaml += """
            tiers:
              peer: {level_gap: {min: 0, max: 1, ideal: 1}}
              senior: {level_gap: {min: 2, max: 6, ideal: 3}}
            criteria:
              - {name: interests, column: interests, kind: overlap, weight: 0.1}
            scores: {file: scores.csv, weight: 0.2, missing: 0.1}
            equity: {level_access: {tolerance: 0.3, bands: [[1, 4], [5, 15]]}}

            """
        yaml = yaml.replacingOccurrences(of: "  no_repeat_pairs: true\n", with: "  no_repeat_pairs: true\n  min_pair_points: 200\n  stable: true\n")
        try yaml.write(toFile: dir.file("program.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func theProposalCarriesEveryAddition() throws {
        let dir = try Self.program()
        let r = try CLI.run(["propose", dir.file("program.yaml"), "--no-store", "--format", "json", "--write-model", dir.file("m.lp"), "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["status"] as? String == "optimal")
        let objective = try #require(doc["objective"] as? [String: Int])
        #expect(objective["mentors_used"] != nil && objective["coverage"] != nil)
        let pairs = try #require(doc["pairs"] as? [[String: Any]])
        #expect(!pairs.isEmpty)
        for p in pairs {
            #expect(["peer", "senior"].contains(p["tier"] as? String ?? ""))
            #expect((p["points"] as? Int ?? 0) >= 200)
            let factors = try #require(p["factors"] as? [String: Double])
            #expect(factors["interests"] != nil && factors["external"] != nil)
        }
        let metrics = try #require(doc["metrics"] as? [String: Any])
        #expect(metrics["blocking_pairs"] as? Int == 0)
        #expect((metrics["level_rates"] as? [String: Any])?.count == 2)
        // The written model is the final stage's: maximised, it gives the total points.
        let optimum = try GLPKEngine.readAndMaximize(path: dir.file("m.lp"), format: .lp)
        #expect(Int(optimum.rounded()) == objective["total_points"])
        let lp = try String(contentsOfFile: dir.file("m.lp"), encoding: .utf8)
        #expect(lp.contains("tier_") && lp.contains("stable_") && lp.contains("mentors_used_floor") && lp.contains("level_"))
    }

    @Test func checkAndExportUnderstandTheAdditions() throws {
        let dir = try Self.program()
        let check = try CLI.run(["check", dir.file("program.yaml")])
        #expect(check.status == 0, "\(check.stderr)")
        let p = try CLI.run(["propose", dir.file("program.yaml"), "--quiet"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("tiers:") && p.stdout.contains("stability: 0 blocking pairs"))
        let export = try CLI.run(["export", dir.file("program.yaml"), "--out", dir.file("x.csv")])
        #expect(export.status == 0, "\(export.stderr)")
        let csv = try String(contentsOfFile: dir.file("x.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("mentor_id,mentor_name,mentee_id,mentee_name,cohort,start,end,points,tier\n"))
        let price = try CLI.run(["compare", dir.file("program.yaml"), "--price-rules", "--quiet"])
        #expect(price.status == 0, "\(price.stderr)")
        for rule in ["without stable", "without tiers", "without min_pair_points (200)", "without level_access", "without the mentors_used stage"] {
            #expect(price.stdout.contains(rule), "\(rule): \(price.stdout)")
        }
    }
}
