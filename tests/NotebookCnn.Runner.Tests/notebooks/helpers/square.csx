static int Square(int value) => value * value;
