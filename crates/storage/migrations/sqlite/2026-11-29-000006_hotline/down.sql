DROP TABLE hotline_requests;
