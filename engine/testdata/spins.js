console.log("spinning");
for (;;) {}
