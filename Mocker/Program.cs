// Placeholder until its issue lands: it must not pretend to work.
Console.Error.WriteLine("mocker: not implemented yet");
return 1;
