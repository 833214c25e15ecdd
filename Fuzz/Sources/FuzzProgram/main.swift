import Foundation
import MatchModel
import MentorMatch

// One fuzz input is a small program folder in one file: sections that start
// with a line `=== NAME` (program.yaml, roster.csv, preferences.csv,
// exclusions.csv, history.csv, org.csv, whatif.yaml). Bytes with no section
// line are a roster under a fixed program file that names every side file and
// every equity rule. Each input is written to a private temporary folder and
// read exactly as `mentormatch check` and `propose` read a user's files;
// programs small enough are solved and rendered too. An input error is the
// expected answer to a bad input; a crash, a trap or a hang is a defect.

// No top-level statements: under libFuzzer this file's `main` never runs, so
// every constant lives in an enum (initialised on first use).
enum Harness {
    static let fileNames = ["program.yaml", "roster.csv", "preferences.csv", "exclusions.csv", "history.csv", "org.csv", "whatif.yaml"]

    static let defaultProgram = """
        roster: roster.csv
        preferences: preferences.csv
        exclusions: exclusions.csv
        history: history.csv
        org: org.csv
        rules: {mentors_per_mentee: 2, max_timezone_gap_hours: 8, level_gap: {min: 1, max: 4, ideal: 2}}
        equity:
          group_access: [{attribute: urg, tolerance: 0.05}, {attribute: gender, tolerance: 0.1}]
          department_access: {tolerance: 0.1}
          max_same_department_per_mentor: 2
          location_reach: {location: HQ, min_share_outside: 0.5}
        solver: {time_limit_seconds: 2}

        """

    static let folder: String = {
        let path = NSTemporaryDirectory() + "mentormatch-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Splits an input into its files.
    static func files(of data: Data) -> [String: Data] {
        let marker = Data("=== ".utf8)
        var sections: [String: Data] = [:]
        var current: String?
        var body = Data()
        var sawSection = false
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A).map { data.index(after: $0) } ?? data.endIndex
            let line = data[start..<end]
            if line.starts(with: marker),
                let name = String(data: line.dropFirst(marker.count), encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                fileNames.contains(name)
            {
                if let current { sections[current] = body }
                current = name
                body = Data()
                sawSection = true
            } else {
                body.append(line)
            }
            start = end
        }
        if let current { sections[current] = body }
        if !sawSection { sections["roster.csv"] = body }
        if sections["program.yaml"] == nil { sections["program.yaml"] = Data(defaultProgram.utf8) }
        return sections
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProgram(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let fileNames = Harness.fileNames, folder = Harness.folder
    let input = Data(bytes: bytes, count: count)
    for name in fileNames { try? FileManager.default.removeItem(atPath: folder + "/" + name) }
    for (name, contents) in Harness.files(of: input) {
        FileManager.default.createFile(atPath: folder + "/" + name, contents: contents)
    }
    let programPath = folder + "/program.yaml"
    if FileManager.default.fileExists(atPath: folder + "/whatif.yaml") {
        _ = try? WhatIfFile(path: folder + "/whatif.yaml")
    }
    guard let loaded = try? ProgramLoader.load(path: programPath) else { return 0 }
    guard loaded.program.people.count <= 60 else { return 0 }
    var propose = Propose()
    propose.timeLimitSeconds = 2
    guard let result = try? propose.run(program: loaded.program) else { return 0 }
    for format in [ProposalFormat.table, .json, .csv] {
        _ = ProposalRendering.render(result.proposal, as: format, names: [:])
    }
    return 0
}
