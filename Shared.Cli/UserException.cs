namespace Containet.Cli;

/// <summary>
/// The user asked for something that cannot be done as things are (no switch, no such container, a store
/// that cannot be written): one line that says what to do, then exit status 1, in every program. Anything
/// else that escapes is a bug and shows its stack.
/// </summary>
public class UserException(string message) : Exception(message);
