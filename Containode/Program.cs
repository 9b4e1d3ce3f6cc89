// Placeholder until its issue lands: it must not pretend to work.
Console.Error.WriteLine("containode: not implemented yet");
return 1;
