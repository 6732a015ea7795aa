pub mod norsk;
