import Foundation

/// A fresh folder under the system's temporary directory, removed with everything in it when the
/// value is released: tests never write anywhere else.
package final class TemporaryDirectory: Sendable {
    package let path: String
    package var url: URL { URL(fileURLWithPath: path) }

    /// - Parameter label: a word for the folder's name, to tell runs apart when one is left behind.
    package init(_ label: String = "mentormatch") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of a file or folder inside.
    package func file(_ name: String) -> String { path + "/" + name }

    /// Writes text files inside (name → contents).
    package func write(_ files: [String: String]) throws {
        for (name, text) in files { try text.write(toFile: file(name), atomically: true, encoding: .utf8) }
    }

    /// Writes one text file inside.
    package func write(_ name: String, _ text: String) { try! text.write(toFile: file(name), atomically: true, encoding: .utf8) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
