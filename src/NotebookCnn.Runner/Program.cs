Console.WriteLine("nbcnn");
