import VPNForm

/// One option a command accepts.
public struct OptionSpec: Sendable {
    /// Spellings, e.g. `["-f", "--file"]`; the last is the canonical one.
    public var names: [String]
    /// Whether the option takes a value (`--file PATH`, `--file=PATH`).
    public var takesValue: Bool
    /// Whether a flag may carry a value after `=` (`--wait`, `--wait=5m`).
    public var optionalValue = false
    /// Whether it may be given more than once.
    public var repeatable: Bool
    /// The value's placeholder in help, e.g. `FILE`.
    public var valueName: String
    /// One line of help.
    public var help: String

    /// Creates an option.
    public init(_ names: [String], value: String? = nil, repeatable: Bool = false, help: String) {
        self.names = names
        self.takesValue = value != nil
        self.valueName = value ?? ""
        self.repeatable = repeatable
        self.help = help
    }

    /// A flag that may carry a value after `=`: `--wait` or `--wait=5m`.
    public init(_ names: [String], optionalValue value: String, help: String) {
        self.init(names, help: help)
        optionalValue = true
        valueName = value
    }

    /// The canonical name (`--file`).
    public var key: String { names.last! }
}

/// Arguments parsed against a command's option table.
public struct ParsedArguments: Sendable, Equatable {
    /// Values by canonical option name; a flag has one empty value per occurrence.
    public var options: [String: [String]] = [:]
    /// Arguments that are not options, in order.
    public var positionals: [String] = []

    /// The last value given for an option.
    public func value(_ key: String) -> String? { options[key]?.last }
    /// Every value given for a repeatable option.
    public func values(_ key: String) -> [String] { options[key] ?? [] }
    /// Whether a flag was given.
    public func flag(_ key: String) -> Bool { options[key] != nil }
}

/// A mistake on the command line: exit 64 with a message and the command's usage.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Parses `argv` against an option table: `--name value`, `--name=value`, `-f value`, `-f=value`, flags, and `--`.
public enum ArgumentParser {
    public static func parse(_ arguments: [String], options: [OptionSpec], maxPositionals: Int) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var i = 0
        var onlyPositionals = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if onlyPositionals || !arg.hasPrefix("-") || arg == "-" {
                guard parsed.positionals.count < maxPositionals else { throw UsageError("unexpected argument \"\(arg)\"") }
                parsed.positionals.append(arg)
                continue
            }
            if arg == "--" { onlyPositionals = true; continue }
            let (name, inline) = split(arg)
            guard let spec = options.first(where: { $0.names.contains(name) }) else {
                let all = options.flatMap(\.names).filter { $0.hasPrefix("--") }
                let hint = Suggestion.closest(to: name, in: all).map { " (did you mean \($0)?)" } ?? ""
                throw UsageError("unknown option \(name)\(hint)")
            }
            var value = ""
            if spec.takesValue {
                if let inline { value = inline }
                else if i < arguments.count { value = arguments[i]; i += 1 }
                else { throw UsageError("option \(name) needs a value (\(spec.valueName))") }
            } else if let inline, spec.optionalValue {
                value = inline
            } else if inline != nil {
                throw UsageError("option \(name) takes no value")
            }
            if !spec.repeatable, parsed.options[spec.key] != nil {
                throw UsageError("option \(spec.key) given more than once")
            }
            parsed.options[spec.key, default: []].append(value)
        }
        return parsed
    }

    /// `--name=value` and `-f=value` (a short option's value may also follow it: `-f value`).
    private static func split(_ arg: String) -> (String, String?) {
        guard let eq = arg.firstIndex(of: "="), arg.hasPrefix("--") || arg.distance(from: arg.startIndex, to: eq) == 2
        else { return (arg, nil) }
        return (String(arg[..<eq]), String(arg[arg.index(after: eq)...]))
    }
}
