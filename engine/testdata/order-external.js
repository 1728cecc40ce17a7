console.log("3 external script");
