document.write("128");
