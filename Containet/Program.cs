Console.Error.WriteLine("containet: not implemented yet");
return 1;
